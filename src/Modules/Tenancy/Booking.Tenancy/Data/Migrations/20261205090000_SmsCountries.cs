using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Booking.Tenancy.Data.Migrations
{
    /// <summary>
    /// The countries whose mobiles the portal texts one-time codes to (Setup → Client Portal), against SMS pumping. Every
    /// business starts with its own country (`tenants.country_code`), the rows already saved too. Forced row-level
    /// security hides every tenant's rows from the owner that migrates, so the table is unforced for the backfill and
    /// forced again, inside the migration's transaction (as <see cref="BackfillLogoVersion"/>). The column keeps no
    /// default (no SQL default can read the business's country): the app writes the list with a business's first row.
    /// </summary>
    [DbContext(typeof(TenancyDbContext))]
    [Migration("20261205090000_SmsCountries")]
    public partial class SmsCountries : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<List<string>>(
                name: "sms_countries",
                schema: "tenancy",
                table: "portal_settings",
                type: "text[]",
                nullable: false,
                defaultValueSql: "'{}'::text[]");

            migrationBuilder.Sql("""
                ALTER TABLE tenancy.portal_settings NO FORCE ROW LEVEL SECURITY;
                UPDATE tenancy.portal_settings AS s SET sms_countries = ARRAY[upper(t.country_code)]
                FROM tenancy.tenants AS t
                WHERE t.id = s.tenant_id;
                ALTER TABLE tenancy.portal_settings FORCE ROW LEVEL SECURITY;
                ALTER TABLE tenancy.portal_settings ALTER COLUMN sms_countries DROP DEFAULT;
                """);

            migrationBuilder.AddCheckConstraint(
                name: "ck_portal_settings_sms_countries",
                schema: "tenancy",
                table: "portal_settings",
                sql: "cardinality(sms_countries) BETWEEN 1 AND 20");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropCheckConstraint(
                name: "ck_portal_settings_sms_countries",
                schema: "tenancy",
                table: "portal_settings");

            migrationBuilder.DropColumn(
                name: "sms_countries",
                schema: "tenancy",
                table: "portal_settings");
        }
    }
}
