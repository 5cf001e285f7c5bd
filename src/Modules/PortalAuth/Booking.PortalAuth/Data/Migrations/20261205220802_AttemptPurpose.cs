using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Booking.PortalAuth.Data.Migrations
{
    /// <summary>
    /// What each code attempt is for (`purpose`, decision 237): every route names the purposes it takes, so an attempt made
    /// for another step answers as an unknown one. Rows before it: no client, phone sign-in; a client's attempt to the
    /// mobile the client holds verified, the email step's code (proving one's own verified mobile was refused); any other
    /// client's attempt, adding a mobile, which verify refuses once the client has a verified mobile (replacing one needs
    /// proof first). Attempts live at most 30 minutes, so few rows are guessed at.
    /// </summary>
    public partial class AttemptPurpose : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "purpose",
                schema: "portalauth",
                table: "sign_in_attempts",
                type: "character varying(20)",
                maxLength: 20,
                nullable: false,
                defaultValue: "SignIn");

            // The owner role runs migrations bound by the tenant policy (FORCE, applied after each module's migrations):
            // without lifting it, the update below would see no row of a database already in use (as MobileTrust does).
            migrationBuilder.Sql("ALTER TABLE portalauth.sign_in_attempts NO FORCE ROW LEVEL SECURITY;");
            migrationBuilder.Sql("ALTER TABLE portalauth.clients NO FORCE ROW LEVEL SECURITY;");
            migrationBuilder.Sql("""
                UPDATE portalauth.sign_in_attempts AS a
                   SET purpose = CASE WHEN EXISTS (
                           SELECT 1 FROM portalauth.clients AS c
                            WHERE c.tenant_id = a.tenant_id AND c.id = a.client_id AND c.mobile = a.mobile AND c.mobile_verified)
                       THEN 'ChangeEmail' ELSE 'AddMobile' END
                 WHERE a.client_id IS NOT NULL;
                """);
            migrationBuilder.Sql("ALTER TABLE portalauth.sign_in_attempts FORCE ROW LEVEL SECURITY;");
            migrationBuilder.Sql("ALTER TABLE portalauth.clients FORCE ROW LEVEL SECURITY;");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "purpose",
                schema: "portalauth",
                table: "sign_in_attempts");
        }
    }
}
