using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Booking.Tenancy.Data.Migrations
{
    /// <summary>
    /// The most upcoming appointments one client may hold through the portal (Setup → Client Portal); every business
    /// starts at 10.
    /// </summary>
    [DbContext(typeof(TenancyDbContext))]
    [Migration("20261205001000_MaxUpcomingBookings")]
    public partial class MaxUpcomingBookings : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "max_upcoming_bookings_per_client",
                schema: "tenancy",
                table: "portal_settings",
                type: "integer",
                nullable: false,
                defaultValue: 10);

            migrationBuilder.AddCheckConstraint(
                name: "ck_portal_settings_max_upcoming",
                schema: "tenancy",
                table: "portal_settings",
                sql: "max_upcoming_bookings_per_client BETWEEN 1 AND 100");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropCheckConstraint(
                name: "ck_portal_settings_max_upcoming",
                schema: "tenancy",
                table: "portal_settings");

            migrationBuilder.DropColumn(
                name: "max_upcoming_bookings_per_client",
                schema: "tenancy",
                table: "portal_settings");
        }
    }
}
