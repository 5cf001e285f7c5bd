using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Booking.PortalAuth.Data.Migrations
{
    /// <summary>
    /// <c>ip_password_failures</c>: failed password sign-ins per client address, the portal's and staff's, counted across
    /// every business (decision 272). No tenant_id, so no row-level security: one cap no business can see around.
    /// </summary>
    public partial class IpPasswordFailures : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "ip_password_failures",
                schema: "portalauth",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    area = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: false),
                    ip = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_ip_password_failures", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "ix_ip_password_failures_at",
                schema: "portalauth",
                table: "ip_password_failures",
                column: "at");

            migrationBuilder.CreateIndex(
                name: "ix_ip_password_failures_ip_area_at",
                schema: "portalauth",
                table: "ip_password_failures",
                columns: new[] { "ip", "area", "at" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "ip_password_failures",
                schema: "portalauth");
        }
    }
}
