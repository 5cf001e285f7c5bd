using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Booking.Tenancy.Data.Migrations
{
    /// <summary>
    /// Gives logos uploaded before <see cref="LogoVersion"/> their version (their ETag), so their portals link the
    /// kept-for-good address too. Forced row-level security hides every tenant's rows from the owner that migrates,
    /// so the two tables are unforced for the update and forced again, all inside the migration's transaction:
    /// if anything fails, the force is never lost. The app role is never exempt (it owns no table).
    /// </summary>
    public partial class BackfillLogoVersion : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                ALTER TABLE tenancy.portal_settings NO FORCE ROW LEVEL SECURITY;
                ALTER TABLE tenancy.branding_logos NO FORCE ROW LEVEL SECURITY;
                UPDATE tenancy.portal_settings AS s SET logo_version = l.e_tag
                FROM tenancy.branding_logos AS l
                WHERE l.tenant_id = s.tenant_id AND s.logo_version IS NULL;
                ALTER TABLE tenancy.portal_settings FORCE ROW LEVEL SECURITY;
                ALTER TABLE tenancy.branding_logos FORCE ROW LEVEL SECURITY;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // Nothing to undo: the versions stay right for the logos they name.
        }
    }
}
