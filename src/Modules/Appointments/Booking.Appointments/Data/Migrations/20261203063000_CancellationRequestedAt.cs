using Microsoft.EntityFrameworkCore.Migrations;
using NodaTime;

#nullable disable

namespace Booking.Appointments.Data.Migrations
{
    /// <summary>
    /// When a client filed a cancellation request (<c>cancellation_requested_at</c>); the requests list showed the
    /// row's last change instead. Open requests filed before this migration have none and are shown with their last
    /// change, the best record there is (no backfill: the owner role meets row-level security too).
    /// </summary>
    public partial class CancellationRequestedAt : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<Instant>(
                name: "cancellation_requested_at",
                schema: "appointments",
                table: "appointments",
                type: "timestamp with time zone",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "cancellation_requested_at",
                schema: "appointments",
                table: "appointments");
        }
    }
}
