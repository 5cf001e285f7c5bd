using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Booking.Tenancy.Data.Migrations
{
    /// <inheritdoc />
    public partial class StaffPasswordReset : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "staff_password_reset_requests",
                schema: "tenancy",
                columns: table => new
                {
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: false),
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    email = table.Column<string>(type: "character varying(320)", maxLength: 320, nullable: false),
                    ip = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_staff_password_reset_requests", x => new { x.tenant_id, x.id });
                });

            migrationBuilder.CreateTable(
                name: "staff_password_reset_tokens",
                schema: "tenancy",
                columns: table => new
                {
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: false),
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    staff_id = table.Column<Guid>(type: "uuid", nullable: false),
                    token_hash = table.Column<byte[]>(type: "bytea", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    expires_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    used_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_staff_password_reset_tokens", x => new { x.tenant_id, x.id });
                    table.ForeignKey(
                        name: "fk_staff_password_reset_tokens_staff_members_tenant_id_staff_id",
                        columns: x => new { x.tenant_id, x.staff_id },
                        principalSchema: "tenancy",
                        principalTable: "staff_members",
                        principalColumns: new[] { "tenant_id", "id" },
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_staff_password_reset_requests_tenant_id_email_at",
                schema: "tenancy",
                table: "staff_password_reset_requests",
                columns: new[] { "tenant_id", "email", "at" });

            migrationBuilder.CreateIndex(
                name: "ix_staff_password_reset_requests_tenant_id_ip_at",
                schema: "tenancy",
                table: "staff_password_reset_requests",
                columns: new[] { "tenant_id", "ip", "at" });

            migrationBuilder.CreateIndex(
                name: "ix_staff_password_reset_tokens_tenant_id_staff_id",
                schema: "tenancy",
                table: "staff_password_reset_tokens",
                columns: new[] { "tenant_id", "staff_id" });

            migrationBuilder.CreateIndex(
                name: "ix_staff_password_reset_tokens_tenant_id_token_hash",
                schema: "tenancy",
                table: "staff_password_reset_tokens",
                columns: new[] { "tenant_id", "token_hash" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "staff_password_reset_requests",
                schema: "tenancy");

            migrationBuilder.DropTable(
                name: "staff_password_reset_tokens",
                schema: "tenancy");
        }
    }
}
