using Microsoft.EntityFrameworkCore.Migrations;
using NodaTime;

#nullable disable

namespace Booking.Appointments.Data.Migrations
{
    /// <summary>
    /// <c>cancellation_request_withdrawals</c> (decision 295): withdrawing a cancellation request clears the appointment's
    /// <c>cancellation_requested_at</c>, so the month report lost the request; each withdrawal is now kept with when its
    /// request was filed. Withdrawals before it are filled in from the module's outbox (kept after relay): each
    /// <c>CancellationRequestWithdrawn</c> event (its id, appointment and <c>withdrawnAt</c>) and, for when the request was
    /// filed, the time of the <c>CancellationRequested</c> event it names, or (named none: filed before requests kept their
    /// event) that appointment's latest one before it. Appointments no longer there are left out. Forced row-level security
    /// hides every tenant's rows from the owner that migrates, so the appointments table is unforced for the insert and
    /// forced again in the migration's transaction (decision 244); the outbox's policy lets the owner read it.
    /// </summary>
    public partial class CancellationRequestWithdrawalsKept : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "cancellation_request_withdrawals",
                schema: "appointments",
                columns: table => new
                {
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: false),
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    appointment_id = table.Column<Guid>(type: "uuid", nullable: false),
                    requested_at = table.Column<Instant>(type: "timestamp with time zone", nullable: false),
                    withdrawn_at = table.Column<Instant>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_cancellation_request_withdrawals", x => new { x.tenant_id, x.id });
                    table.ForeignKey(
                        name: "fk_cancellation_request_withdrawals_appointments_tenant_id_app",
                        columns: x => new { x.tenant_id, x.appointment_id },
                        principalSchema: "appointments",
                        principalTable: "appointments",
                        principalColumns: new[] { "tenant_id", "id" },
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_cancellation_request_withdrawals_tenant_id_appointment_id",
                schema: "appointments",
                table: "cancellation_request_withdrawals",
                columns: new[] { "tenant_id", "appointment_id" });

            migrationBuilder.CreateIndex(
                name: "ix_cancellation_request_withdrawals_tenant_id_requested_at",
                schema: "appointments",
                table: "cancellation_request_withdrawals",
                columns: new[] { "tenant_id", "requested_at" });

            migrationBuilder.Sql("""
                ALTER TABLE appointments.appointments NO FORCE ROW LEVEL SECURITY;
                INSERT INTO appointments.cancellation_request_withdrawals (tenant_id, id, appointment_id, requested_at, withdrawn_at)
                SELECT w.tenant_id, w.id, a.id, r.occurred_at, (w.payload ->> 'withdrawnAt')::timestamptz
                  FROM appointments.outbox_messages AS w
                  JOIN appointments.appointments AS a ON a.tenant_id = w.tenant_id AND a.id::text = w.payload ->> 'appointmentId'
                  CROSS JOIN LATERAL (
                      SELECT q.occurred_at
                        FROM appointments.outbox_messages AS q
                       WHERE q.tenant_id = w.tenant_id AND q.type LIKE 'Booking.Appointments.Contracts.CancellationRequested,%'
                         AND (q.id::text = w.payload ->> 'requestEventId'
                              OR (w.payload ->> 'requestEventId' IS NULL AND q.payload ->> 'appointmentId' = w.payload ->> 'appointmentId'
                                  AND q.occurred_at <= w.occurred_at))
                       ORDER BY q.occurred_at DESC
                       LIMIT 1) AS r
                 WHERE w.type LIKE 'Booking.Appointments.Contracts.CancellationRequestWithdrawn,%';
                ALTER TABLE appointments.appointments FORCE ROW LEVEL SECURITY;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "cancellation_request_withdrawals",
                schema: "appointments");
        }
    }
}
