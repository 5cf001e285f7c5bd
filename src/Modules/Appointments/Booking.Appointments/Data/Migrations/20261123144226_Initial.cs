using System;
using Microsoft.EntityFrameworkCore.Migrations;
using NodaTime;

#nullable disable

namespace Booking.Appointments.Data.Migrations
{
    /// <inheritdoc />
    public partial class Initial : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.EnsureSchema(
                name: "appointments");

            migrationBuilder.AlterDatabase()
                .Annotation("Npgsql:PostgresExtension:btree_gist", ",,");

            migrationBuilder.CreateTable(
                name: "appointments",
                schema: "appointments",
                columns: table => new
                {
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: false),
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    client_id = table.Column<Guid>(type: "uuid", nullable: false),
                    pet_id = table.Column<Guid>(type: "uuid", nullable: true),
                    diary_id = table.Column<Guid>(type: "uuid", nullable: false),
                    service_id = table.Column<Guid>(type: "uuid", nullable: false),
                    start_at = table.Column<Instant>(type: "timestamp with time zone", nullable: false),
                    end_at = table.Column<Instant>(type: "timestamp with time zone", nullable: false),
                    blocked_until = table.Column<Instant>(type: "timestamp with time zone", nullable: false),
                    status = table.Column<string>(type: "character varying(30)", maxLength: 30, nullable: false),
                    source = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: false),
                    accepted_terms_version = table.Column<int>(type: "integer", nullable: true),
                    note = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    created_at = table.Column<Instant>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<Instant>(type: "timestamp with time zone", nullable: false),
                    cancelled_at = table.Column<Instant>(type: "timestamp with time zone", nullable: true),
                    cancelled_by = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: true),
                    cancel_reason = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_appointments", x => new { x.tenant_id, x.id });
                });

            migrationBuilder.CreateTable(
                name: "busy_blocks",
                schema: "appointments",
                columns: table => new
                {
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: false),
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    diary_id = table.Column<Guid>(type: "uuid", nullable: false),
                    start_at = table.Column<Instant>(type: "timestamp with time zone", nullable: false),
                    end_at = table.Column<Instant>(type: "timestamp with time zone", nullable: false),
                    note = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    created_at = table.Column<Instant>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_busy_blocks", x => new { x.tenant_id, x.id });
                });

            migrationBuilder.CreateTable(
                name: "idempotency_keys",
                schema: "appointments",
                columns: table => new
                {
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: false),
                    caller_id = table.Column<Guid>(type: "uuid", nullable: false),
                    key = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    request_hash = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    status_code = table.Column<int>(type: "integer", nullable: true),
                    response_body = table.Column<string>(type: "text", nullable: true),
                    location = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    created_at = table.Column<Instant>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_idempotency_keys", x => new { x.tenant_id, x.caller_id, x.key });
                });

            migrationBuilder.CreateTable(
                name: "outbox_messages",
                schema: "appointments",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: false),
                    type = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    payload = table.Column<string>(type: "jsonb", nullable: false),
                    occurred_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    next_attempt_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    dispatched_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    attempts = table.Column<int>(type: "integer", nullable: false),
                    last_error = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_outbox_messages", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "processed_events",
                schema: "appointments",
                columns: table => new
                {
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: false),
                    event_id = table.Column<Guid>(type: "uuid", nullable: false),
                    consumer = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    processed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_processed_events", x => new { x.tenant_id, x.event_id, x.consumer });
                });

            migrationBuilder.CreateIndex(
                name: "ix_appointments_tenant_id_client_id_start_at",
                schema: "appointments",
                table: "appointments",
                columns: new[] { "tenant_id", "client_id", "start_at" });

            migrationBuilder.CreateIndex(
                name: "ix_appointments_tenant_id_diary_id_start_at",
                schema: "appointments",
                table: "appointments",
                columns: new[] { "tenant_id", "diary_id", "start_at" });

            migrationBuilder.CreateIndex(
                name: "ix_appointments_tenant_id_status",
                schema: "appointments",
                table: "appointments",
                columns: new[] { "tenant_id", "status" },
                filter: "status IN ('requested', 'cancellation-requested')");

            migrationBuilder.CreateIndex(
                name: "ix_busy_blocks_tenant_id_diary_id_start_at",
                schema: "appointments",
                table: "busy_blocks",
                columns: new[] { "tenant_id", "diary_id", "start_at" });

            migrationBuilder.CreateIndex(
                name: "ix_idempotency_keys_created_at",
                schema: "appointments",
                table: "idempotency_keys",
                column: "created_at");

            migrationBuilder.CreateIndex(
                name: "ix_outbox_messages_pending",
                schema: "appointments",
                table: "outbox_messages",
                column: "next_attempt_at",
                filter: "dispatched_at IS NULL");

            // No double booking, ever: the database refuses two live appointments of one diary whose busy spans
            // overlap. The range runs to blocked_until (end + the service's buffer after), not end: a buffer after an
            // appointment is time the diary needs, so the next start must wait for it. Half-open '[)' lets one
            // appointment's span end exactly where the next begins. Cancelled and declined appointments release
            // their time. A violation is SqlState 23P01, answered 409 slot-conflict.
            migrationBuilder.Sql("""
                ALTER TABLE appointments.appointments
                    ADD CONSTRAINT ex_appointments_no_overlap
                    EXCLUDE USING gist (
                        tenant_id WITH =,
                        diary_id WITH =,
                        tstzrange(start_at, blocked_until, '[)') WITH &&)
                    WHERE (status NOT IN ('cancelled', 'declined'));
                ALTER TABLE appointments.appointments
                    ADD CONSTRAINT ck_appointments_span CHECK (start_at < end_at AND end_at <= blocked_until);
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "appointments",
                schema: "appointments");

            migrationBuilder.DropTable(
                name: "busy_blocks",
                schema: "appointments");

            migrationBuilder.DropTable(
                name: "idempotency_keys",
                schema: "appointments");

            migrationBuilder.DropTable(
                name: "outbox_messages",
                schema: "appointments");

            migrationBuilder.DropTable(
                name: "processed_events",
                schema: "appointments");
        }
    }
}
