using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Booking.PortalAuth.Data.Migrations
{
    /// <summary>
    /// <c>clients.awaiting_first_request</c>: set by the phone new-client flow, cleared by the client's first appointment
    /// (Appointments' <c>BookingRequested</c> / <c>AppointmentBooked</c>). Existing clients get false: they were let into
    /// the portal under the old rule and keep it. Row-level security is the table's own (the migrator's policy).
    /// </summary>
    public partial class AwaitingFirstRequest : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "awaiting_first_request",
                schema: "portalauth",
                table: "clients",
                type: "boolean",
                nullable: false,
                defaultValue: false);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "awaiting_first_request",
                schema: "portalauth",
                table: "clients");
        }
    }
}
