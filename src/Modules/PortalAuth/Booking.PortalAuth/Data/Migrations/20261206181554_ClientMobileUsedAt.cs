using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Booking.PortalAuth.Data.Migrations
{
    /// <inheritdoc />
    public partial class ClientMobileUsedAt : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "mobile_used_at",
                schema: "portalauth",
                table: "clients",
                type: "timestamp with time zone",
                nullable: true);

            // A number proven by a code (not staff's or the seed's) counts as used without the time; a staff-vouched one
            // only when a sign-in code sent to it was given back while the attempt is still kept (a day, decision 304).
            migrationBuilder.Sql("ALTER TABLE portalauth.clients NO FORCE ROW LEVEL SECURITY;");
            migrationBuilder.Sql("ALTER TABLE portalauth.sign_in_attempts NO FORCE ROW LEVEL SECURITY;");
            migrationBuilder.Sql("""
                UPDATE portalauth.clients c SET mobile_used_at = (
                    SELECT max(a.verified_at) FROM portalauth.sign_in_attempts a
                    WHERE a.tenant_id = c.tenant_id AND a.mobile = c.mobile AND a.client_id IS NULL AND a.verified_at IS NOT NULL)
                WHERE c.mobile_verified AND c.mobile_vouched_by_staff;
                """);
            migrationBuilder.Sql("ALTER TABLE portalauth.clients FORCE ROW LEVEL SECURITY;");
            migrationBuilder.Sql("ALTER TABLE portalauth.sign_in_attempts FORCE ROW LEVEL SECURITY;");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "mobile_used_at",
                schema: "portalauth",
                table: "clients");
        }
    }
}
