using System;
using Microsoft.EntityFrameworkCore.Migrations;
using NodaTime;

#nullable disable

namespace Booking.Appointments.Data.Migrations
{
    /// <summary>
    /// A withdrawn cancellation request is remembered: <c>cancellation_withdrawn_at</c> (when the client last took one
    /// back with Keep my appointment; staff pages and a decision on it say so) and <c>cancellation_request_event_id</c>
    /// (the open request's <c>CancellationRequested</c> event, which the withdrawal names so Notifications takes back
    /// that request's own emails). Both null for rows before: no request was withdrawn on record, and an open request
    /// filed before is withdrawn without its event's id (Notifications then finds its emails by the appointment).
    /// </summary>
    public partial class CancellationRequestWithdrawals : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<Guid>(
                name: "cancellation_request_event_id",
                schema: "appointments",
                table: "appointments",
                type: "uuid",
                nullable: true);

            migrationBuilder.AddColumn<Instant>(
                name: "cancellation_withdrawn_at",
                schema: "appointments",
                table: "appointments",
                type: "timestamp with time zone",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "cancellation_request_event_id",
                schema: "appointments",
                table: "appointments");

            migrationBuilder.DropColumn(
                name: "cancellation_withdrawn_at",
                schema: "appointments",
                table: "appointments");
        }
    }
}
