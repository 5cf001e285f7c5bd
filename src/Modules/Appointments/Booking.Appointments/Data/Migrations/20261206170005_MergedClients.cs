using System;
using Microsoft.EntityFrameworkCore.Migrations;
using NodaTime;

#nullable disable

namespace Booking.Appointments.Data.Migrations
{
    /// <inheritdoc />
    public partial class MergedClients : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "merged_clients",
                schema: "appointments",
                columns: table => new
                {
                    tenant_id = table.Column<Guid>(type: "uuid", nullable: false),
                    client_id = table.Column<Guid>(type: "uuid", nullable: false),
                    kept_client_id = table.Column<Guid>(type: "uuid", nullable: false),
                    merged_at = table.Column<Instant>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_merged_clients", x => new { x.tenant_id, x.client_id });
                });

            // Decision 299: no appointment is inserted for, or moved onto, a client merged away. The trigger first takes
            // the business's merge lock SHARED (bookings never wait for each other on it; a merge's move takes it
            // exclusive, after its rows and the clients' booking locks: AppointmentsDbContext.MergeLockKey), then looks
            // for the client in merged_clients, which the move writes under that lock. So a booking either commits
            // before the move (and is moved with the rest) or sees the record and is refused, whichever path made it.
            // No statement or round trip more per booking. One lock per business, not per client: a bulk insert of many
            // clients' rows in one transaction takes one lock, not one per client. Before INSERT, or an UPDATE naming
            // client_id (a change of time, status or diary does not fire it). The refusal's message ends with the
            // kept client's id.
            migrationBuilder.Sql("""
                CREATE FUNCTION appointments.client_not_merged() RETURNS trigger
                    LANGUAGE plpgsql AS $$
                DECLARE
                    kept uuid;
                BEGIN
                    PERFORM pg_advisory_xact_lock_shared(hashtextextended('client-merges:' || NEW.tenant_id::text, 0));
                    SELECT m.kept_client_id INTO kept FROM appointments.merged_clients m
                     WHERE m.tenant_id = NEW.tenant_id AND m.client_id = NEW.client_id;
                    IF FOUND THEN
                        RAISE EXCEPTION 'The client was merged into client %', kept
                            USING ERRCODE = 'P0001', CONSTRAINT = 'appointments_client_merged';
                    END IF;
                    RETURN NEW;
                END $$;

                CREATE TRIGGER appointments_client_not_merged
                    BEFORE INSERT OR UPDATE OF client_id ON appointments.appointments
                    FOR EACH ROW EXECUTE FUNCTION appointments.client_not_merged();
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER IF EXISTS appointments_client_not_merged ON appointments.appointments;
                DROP FUNCTION IF EXISTS appointments.client_not_merged();
                """);

            migrationBuilder.DropTable(
                name: "merged_clients",
                schema: "appointments");
        }
    }
}
