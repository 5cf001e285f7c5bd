using Microsoft.EntityFrameworkCore.Migrations;
using NodaTime;

#nullable disable

namespace Booking.Appointments.Data.Migrations
{
    /// <summary>
    /// <c>requested_at</c>: when the appointment was filed as a booking request (decision 245), so a decision naming the
    /// booking request of a portal booking confirmed from the start answers that there is no such request, not "already
    /// confirmed". Rows before get their <c>created_at</c> (a request is filed when the appointment is made) where
    /// anything shows they were requests: still waiting, ended as a request (withdrawn, declined, cancelled before it was
    /// decided), or their <c>BookingRequested</c> event in the module's outbox (kept after relay), which is what tells an
    /// accepted request from a direct booking. The rest stay null. Forced row-level security hides every tenant's rows
    /// from the owner that migrates, so the table is unforced for the update and forced again in the migration's
    /// transaction (decision 244); the outbox's policy lets the owner read it.
    /// </summary>
    public partial class AppointmentRequestedAt : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<Instant>(
                name: "requested_at",
                schema: "appointments",
                table: "appointments",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.Sql("""
                ALTER TABLE appointments.appointments NO FORCE ROW LEVEL SECURITY;
                UPDATE appointments.appointments
                   SET requested_at = created_at
                 WHERE status = 'requested' OR ended IN ('withdrawn', 'declined', 'request-cancelled');
                UPDATE appointments.appointments a
                   SET requested_at = a.created_at
                  FROM (SELECT DISTINCT tenant_id, payload ->> 'appointmentId' AS appointment_id
                          FROM appointments.outbox_messages
                         WHERE type LIKE 'Booking.Appointments.Contracts.BookingRequested,%') r
                 WHERE r.tenant_id = a.tenant_id AND r.appointment_id = a.id::text AND a.requested_at IS NULL;
                ALTER TABLE appointments.appointments FORCE ROW LEVEL SECURITY;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "requested_at",
                schema: "appointments",
                table: "appointments");
        }
    }
}
