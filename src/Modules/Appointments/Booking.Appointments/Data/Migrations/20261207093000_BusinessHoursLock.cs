using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Booking.Appointments.Data.Migrations
{
    /// <inheritdoc />
    public partial class BusinessHoursLock : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Decision 342: every insert of an appointment, and every change of its time or diary (a move), holds the
            // business's hours lock SHARED until its transaction ends (bookings never wait for each other on it), the key
            // BuildingBlocks' TransactionLocks.HoursKey ('hours:' || the tenant's uuid). Roster's saves that cut hours (a
            // closed day, a dated exception or its removal, a weekly roster replaced) take it EXCLUSIVE before they write,
            // so they wait for the bookings under way and the clashes they list name them. Folded into the statement that
            // writes the row: no statement or round trip more (a portal booking and a client move take it earlier, in
            // their limit statements, and here again at no cost). Named to fire before appointments_client_not_merged
            // (triggers fire in name order), so a booking takes the hours lock before the merge lock, as a portal
            // booking takes it before the client's booking lock.
            migrationBuilder.Sql("""
                CREATE FUNCTION appointments.business_hours_lock() RETURNS trigger
                    LANGUAGE plpgsql AS $$
                BEGIN
                    IF TG_OP = 'UPDATE' AND NEW.start_at = OLD.start_at AND NEW.end_at = OLD.end_at AND NEW.diary_id = OLD.diary_id THEN
                        RETURN NEW;
                    END IF;
                    PERFORM pg_advisory_xact_lock_shared(hashtextextended('hours:' || NEW.tenant_id::text, 0));
                    RETURN NEW;
                END $$;

                CREATE TRIGGER appointments_business_hours_lock
                    BEFORE INSERT OR UPDATE OF start_at, end_at, diary_id ON appointments.appointments
                    FOR EACH ROW EXECUTE FUNCTION appointments.business_hours_lock();
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER IF EXISTS appointments_business_hours_lock ON appointments.appointments;
                DROP FUNCTION IF EXISTS appointments.business_hours_lock();
                """);
        }
    }
}
