using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Booking.PortalAuth.Data.Migrations
{
    /// <summary>
    /// Forgot-password requests handed on to the background, kept for registered and unknown addresses alike: the
    /// per-address (3 an hour) and per-IP (20 an hour) limits count them.
    /// </summary>
    public partial class ResetRequestLimits : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "password_reset_requests",
                schema: "portalauth",
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
                    table.PrimaryKey("pk_password_reset_requests", x => new { x.tenant_id, x.id });
                });

            migrationBuilder.CreateIndex(
                name: "ix_password_reset_requests_tenant_id_email_at",
                schema: "portalauth",
                table: "password_reset_requests",
                columns: new[] { "tenant_id", "email", "at" });

            migrationBuilder.CreateIndex(
                name: "ix_password_reset_requests_tenant_id_ip_at",
                schema: "portalauth",
                table: "password_reset_requests",
                columns: new[] { "tenant_id", "ip", "at" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "password_reset_requests",
                schema: "portalauth");
        }
    }
}
