using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Booking.Appointments.Data.Migrations
{
    /// <summary>
    /// How a released appointment ended (<c>ended</c>: <c>withdrawn</c>, <c>declined</c>, <c>request-cancelled</c>,
    /// <c>cancelled</c>), so a withdrawn or declined booking request no longer reads as a cancelled appointment. Rows saved
    /// before it are filled from what is known. A declined one is <c>declined</c> (its status says so). A cancelled one
    /// was a request never accepted when this module's outbox holds its <c>BookingRequested</c> event and no
    /// <c>AppointmentBooked</c> (a booking, or staff accepting the request, writes one; outbox rows are kept): withdrawn
    /// when the client cancelled it, <c>request-cancelled</c> when staff did. Every other cancelled row is
    /// <c>cancelled</c>, what it read as before; no timestamp tells a request from a booking (accepting one keeps no time
    /// of its own). Forced row-level security hides every tenant's rows from the owner that migrates, so the two tables
    /// are unforced for the update and forced again in the migration's transaction. Then the check holds every row to it.
    /// </summary>
    public partial class AppointmentEndings : Migration
    {
        /// <summary>Fills <c>ended</c> of the rows already released (the class's summary says how); tests run it too.</summary>
        public const string Backfill = """
        ALTER TABLE appointments.appointments NO FORCE ROW LEVEL SECURITY;
        ALTER TABLE appointments.outbox_messages NO FORCE ROW LEVEL SECURITY;
        WITH events AS (
            SELECT o.tenant_id, o.payload ->> 'appointmentId' AS appointment_id,
                   bool_or(o.type LIKE 'Booking.Appointments.Contracts.BookingRequested,%') AS requested,
                   bool_or(o.type LIKE 'Booking.Appointments.Contracts.AppointmentBooked,%') AS booked
              FROM appointments.outbox_messages AS o
             WHERE o.type LIKE 'Booking.Appointments.Contracts.BookingRequested,%'
                OR o.type LIKE 'Booking.Appointments.Contracts.AppointmentBooked,%'
             GROUP BY 1, 2)
        UPDATE appointments.appointments AS a
           SET ended = CASE WHEN a.cancelled_by = 'staff' THEN 'request-cancelled' ELSE 'withdrawn' END
          FROM events AS e
         WHERE e.tenant_id = a.tenant_id AND e.appointment_id = a.id::text
           AND a.status = 'cancelled' AND e.requested AND NOT e.booked;
        UPDATE appointments.appointments SET ended = status
         WHERE status IN ('cancelled', 'declined') AND ended IS NULL;
        ALTER TABLE appointments.outbox_messages FORCE ROW LEVEL SECURITY;
        ALTER TABLE appointments.appointments FORCE ROW LEVEL SECURITY;
        """;

        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "ended",
                schema: "appointments",
                table: "appointments",
                type: "character varying(20)",
                maxLength: 20,
                nullable: true);

            migrationBuilder.Sql(Backfill);

            migrationBuilder.AddCheckConstraint(
                name: "ck_appointments_ended",
                schema: "appointments",
                table: "appointments",
                sql: "CASE status\n    WHEN 'declined' THEN ended IS NOT DISTINCT FROM 'declined'\n    WHEN 'cancelled' THEN ended IS NOT NULL AND ended IN ('withdrawn', 'request-cancelled', 'cancelled')\n    ELSE ended IS NULL\nEND");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropCheckConstraint(
                name: "ck_appointments_ended",
                schema: "appointments",
                table: "appointments");

            migrationBuilder.DropColumn(
                name: "ended",
                schema: "appointments",
                table: "appointments");
        }
    }
}
