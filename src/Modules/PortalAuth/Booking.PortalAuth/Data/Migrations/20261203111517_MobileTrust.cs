using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Booking.PortalAuth.Data.Migrations
{
    /// <summary>
    /// A client's mobile gets a trust state: <c>mobile_verified</c>. Existing mobiles count as verified unless the
    /// client came from email registration, where the mobile was only typed in: that source is read from the
    /// <c>ClientJoined</c> event the registration wrote to the outbox in its own transaction (<c>via</c> =
    /// <c>register</c>). A mobile whose client has no such event (a phone new-client, a row put in by hand) stays
    /// verified. Forced row-level security is lifted for the update inside the migration's transaction (as in
    /// Notifications' SettingsKeepOnlyLiveTemplates).
    /// </summary>
    public partial class MobileTrust : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "mobile_verified",
                schema: "portalauth",
                table: "clients",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.Sql("ALTER TABLE portalauth.clients NO FORCE ROW LEVEL SECURITY;");
            migrationBuilder.Sql("ALTER TABLE portalauth.outbox_messages NO FORCE ROW LEVEL SECURITY;");
            migrationBuilder.Sql("""
                UPDATE portalauth.clients AS c SET mobile_verified = TRUE
                WHERE c.mobile IS NOT NULL
                  AND NOT EXISTS (
                    SELECT 1 FROM portalauth.outbox_messages AS o
                    WHERE o.tenant_id = c.tenant_id
                      AND o.type LIKE 'Booking.PortalAuth.Contracts.ClientJoined,%'
                      AND o.payload->>'clientId' = c.id::text
                      AND o.payload->>'via' = 'register');
                """);
            migrationBuilder.Sql("ALTER TABLE portalauth.clients FORCE ROW LEVEL SECURITY;");
            migrationBuilder.Sql("ALTER TABLE portalauth.outbox_messages FORCE ROW LEVEL SECURITY;");

            migrationBuilder.AddCheckConstraint(
                name: "ck_clients_mobile_verified_has_mobile",
                schema: "portalauth",
                table: "clients",
                sql: "mobile IS NOT NULL OR NOT mobile_verified");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropCheckConstraint(
                name: "ck_clients_mobile_verified_has_mobile",
                schema: "portalauth",
                table: "clients");

            migrationBuilder.DropColumn(
                name: "mobile_verified",
                schema: "portalauth",
                table: "clients");
        }
    }
}
