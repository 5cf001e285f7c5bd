using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Booking.PortalAuth.Data.Migrations
{
    /// <inheritdoc />
    public partial class ClientEmailConfirmedAt : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "email_confirmed_at",
                schema: "portalauth",
                table: "clients",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "mobile_vouched_by_staff",
                schema: "portalauth",
                table: "clients",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            // A reset link used while the address was the client's (sent to it, used since its last change) proved it.
            // Other clients start unproven: their first reset is a claim (decision 262). A link is marked used also when
            // another of the client's links is used, which is a reset of that address too.
            // The owner role runs migrations bound by the tenant policy (FORCE): lifted around the update, else it sees no
            // row of a database already in use (as AttemptPurpose does).
            migrationBuilder.Sql("ALTER TABLE portalauth.clients NO FORCE ROW LEVEL SECURITY;");
            migrationBuilder.Sql("ALTER TABLE portalauth.password_reset_tokens NO FORCE ROW LEVEL SECURITY;");
            migrationBuilder.Sql("""
                UPDATE portalauth.clients AS c SET email_confirmed_at = r.proven_at
                  FROM (SELECT t.tenant_id, t.client_id, t.sent_to, max(t.used_at) AS proven_at
                          FROM portalauth.password_reset_tokens AS t
                         WHERE t.used_at IS NOT NULL AND t.sent_to IS NOT NULL
                         GROUP BY t.tenant_id, t.client_id, t.sent_to) AS r
                 WHERE r.tenant_id = c.tenant_id AND r.client_id = c.id AND c.email IS NOT NULL AND lower(r.sent_to) = c.email
                   AND (c.email_changed_at IS NULL OR r.proven_at > c.email_changed_at);
                """);
            migrationBuilder.Sql("ALTER TABLE portalauth.clients FORCE ROW LEVEL SECURITY;");
            migrationBuilder.Sql("ALTER TABLE portalauth.password_reset_tokens FORCE ROW LEVEL SECURITY;");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "email_confirmed_at",
                schema: "portalauth",
                table: "clients");

            migrationBuilder.DropColumn(
                name: "mobile_vouched_by_staff",
                schema: "portalauth",
                table: "clients");
        }
    }
}
