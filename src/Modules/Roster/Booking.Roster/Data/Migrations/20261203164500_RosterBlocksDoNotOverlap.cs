using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Booking.Roster.Data.Migrations
{
    /// <inheritdoc />
    public partial class RosterBlocksDoNotOverlap : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // The database refuses what the validator has always refused: two blocks of one diary and weekday that
            // overlap. Half-open '[)' ranges of local time let one block end where the next starts; `time` holds
            // 24:00:00, so a block may end at midnight. btree_gist gives the = of uuid and integer in a GiST index; the
            // Appointments module creates it too, but this schema may be migrated first on a new database.
            //
            // Deferred to the commit: a save is judged on the week it leaves, whatever the order of its statements (the
            // PUT removes the old blocks and adds the new ones in one save; a change in place could move two at once).
            //
            // Blocks saved before: the validator let no overlap through, so a pair means something else wrote the rows.
            // The migration stops and names one pair rather than choosing which hours of a business to delete: a person
            // decides, then migrates again. The look lifts the forced row security for itself (the migrating owner would
            // otherwise see no business's rows) and puts it back as it was.
            migrationBuilder.Sql("""
                CREATE EXTENSION IF NOT EXISTS btree_gist;

                CREATE FUNCTION roster.time_subtype_diff(x time, y time) RETURNS double precision
                    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
                    AS 'SELECT EXTRACT(EPOCH FROM x - y)::double precision';
                CREATE TYPE roster.timerange AS RANGE (subtype = time, subtype_diff = roster.time_subtype_diff);

                DO $$
                DECLARE
                    forced boolean;
                    pairs bigint;
                    example text;
                BEGIN
                    SELECT relforcerowsecurity INTO forced FROM pg_class WHERE oid = 'roster.roster_blocks'::regclass;
                    ALTER TABLE roster.roster_blocks NO FORCE ROW LEVEL SECURITY;
                    SELECT count(*), min(format('tenant %s, diary %s, weekday %s (0 = sunday): %s-%s and %s-%s',
                               a.tenant_id, a.diary_id, a.weekday, a.start, a."end", b.start, b."end"))
                      INTO pairs, example
                      FROM roster.roster_blocks a
                      JOIN roster.roster_blocks b
                        ON b.tenant_id = a.tenant_id AND b.diary_id = a.diary_id AND b.weekday = a.weekday
                       AND (a.start, a.id) < (b.start, b.id) AND b.start < a."end";
                    IF pairs > 0 THEN
                        RAISE EXCEPTION 'roster.roster_blocks holds % pair(s) of overlapping roster blocks, such as %', pairs, example
                            USING HINT = 'The API never saved these. Decide which hours are right for each diary and weekday, '
                                || 'delete or change the other blocks, then migrate again (migration RosterBlocksDoNotOverlap).';
                    END IF;
                    IF forced THEN
                        ALTER TABLE roster.roster_blocks FORCE ROW LEVEL SECURITY;
                    END IF;
                END $$;

                ALTER TABLE roster.roster_blocks
                    ADD CONSTRAINT ex_roster_blocks_no_overlap
                    EXCLUDE USING gist (
                        tenant_id WITH =,
                        diary_id WITH =,
                        weekday WITH =,
                        roster.timerange(start, "end", '[)') WITH &&)
                    DEFERRABLE INITIALLY DEFERRED;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // btree_gist stays: the Appointments module's constraint uses it.
            migrationBuilder.Sql("""
                ALTER TABLE roster.roster_blocks DROP CONSTRAINT IF EXISTS ex_roster_blocks_no_overlap;
                DROP TYPE IF EXISTS roster.timerange;
                DROP FUNCTION IF EXISTS roster.time_subtype_diff(time, time);
                """);
        }
    }
}
