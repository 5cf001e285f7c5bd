using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Booking.Appointments.Data.Migrations
{
    /// <summary>
    /// Each appointment keeps the cancellation window (hours, and whether inside it a cancel is refused or asked for) and
    /// the price it was booked under (decision 270). Rows before get their business's policy as it is now (Tenancy's
    /// <c>portal_settings</c>, migrated earlier; a business without a row has the defaults, 24 hours and refuse): what their
    /// clients were last told. Their price stays null: what they were quoted is not known, and today's price would be a
    /// guess. Forced row-level security hides every tenant's rows from the owner that migrates, so both tables are
    /// unforced for the update and forced again in the migration's transaction (decision 244).
    /// </summary>
    public partial class AppointmentKeepsTerms : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "cancellation_hours",
                schema: "appointments",
                table: "appointments",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "cancellation_inside_window",
                schema: "appointments",
                table: "appointments",
                type: "character varying(10)",
                maxLength: 10,
                nullable: true);

            migrationBuilder.AddColumn<decimal>(
                name: "price_amount",
                schema: "appointments",
                table: "appointments",
                type: "numeric(13,3)",
                precision: 13,
                scale: 3,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "price_currency",
                schema: "appointments",
                table: "appointments",
                type: "character varying(3)",
                maxLength: 3,
                nullable: true);

            migrationBuilder.Sql("""
                ALTER TABLE appointments.appointments NO FORCE ROW LEVEL SECURITY;
                ALTER TABLE tenancy.portal_settings NO FORCE ROW LEVEL SECURITY;
                UPDATE appointments.appointments a
                   SET cancellation_hours = COALESCE(p.cancellation_hours, 24),
                       cancellation_inside_window = COALESCE(p.inside_window, 'refuse')
                  FROM (SELECT DISTINCT tenant_id FROM appointments.appointments) t
                  LEFT JOIN tenancy.portal_settings p ON p.tenant_id = t.tenant_id
                 WHERE a.tenant_id = t.tenant_id;
                ALTER TABLE tenancy.portal_settings FORCE ROW LEVEL SECURITY;
                ALTER TABLE appointments.appointments FORCE ROW LEVEL SECURITY;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "cancellation_hours",
                schema: "appointments",
                table: "appointments");

            migrationBuilder.DropColumn(
                name: "cancellation_inside_window",
                schema: "appointments",
                table: "appointments");

            migrationBuilder.DropColumn(
                name: "price_amount",
                schema: "appointments",
                table: "appointments");

            migrationBuilder.DropColumn(
                name: "price_currency",
                schema: "appointments",
                table: "appointments");
        }
    }
}
