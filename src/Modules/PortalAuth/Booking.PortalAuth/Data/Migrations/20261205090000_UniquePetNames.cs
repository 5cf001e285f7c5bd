using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Booking.PortalAuth.Data.Migrations
{
    /// <summary>
    /// A client's pets on file have names of their own, in any case (booking offered two identical "Rex" choices): the
    /// unique index <c>ux_pets_client_name_on_file</c> on (tenant_id, client_id, lower(name)) where not removed, which
    /// the adds, changes and restores look for first and the index holds against two saves at once. Names are stored
    /// trimmed, so lower(name) is what the handlers compare. Pets on file that already share a name keep the first
    /// (pet ids are time-ordered, so the oldest) as it is; each later one gets " (2)", " (3)", … (the first number none
    /// of the client's pets on file has, the name shortened to fit 100 characters), so the index can be built and the
    /// client and staff see names they can tell apart. Removed pets keep their names (the index leaves them out).
    /// Forced row-level security hides every tenant's rows from the owner that migrates, so the table is unforced for
    /// the renames and forced again, inside the migration's transaction. SQL only: the model does not change (EF
    /// cannot describe an index on an expression).
    /// </summary>
    [DbContext(typeof(PortalAuthDbContext))]
    [Migration("20261205090000_UniquePetNames")]
    public partial class UniquePetNames : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                ALTER TABLE portalauth.pets NO FORCE ROW LEVEL SECURITY;
                DO $$
                DECLARE
                    dup record;
                    n int;
                    candidate text;
                BEGIN
                    FOR dup IN
                        SELECT tenant_id, client_id, id, name FROM (
                            SELECT tenant_id, client_id, id, name,
                                   row_number() OVER (PARTITION BY tenant_id, client_id, lower(name) ORDER BY id) AS place
                              FROM portalauth.pets
                             WHERE removed_at IS NULL) AS on_file
                         WHERE place > 1
                         ORDER BY tenant_id, client_id, id
                    LOOP
                        n := 2;
                        LOOP
                            candidate := rtrim(left(dup.name, 100 - length(' (' || n || ')'))) || ' (' || n || ')';
                            EXIT WHEN NOT EXISTS (
                                SELECT 1 FROM portalauth.pets AS p
                                 WHERE p.tenant_id = dup.tenant_id AND p.client_id = dup.client_id AND p.removed_at IS NULL
                                   AND lower(p.name) = lower(candidate));
                            n := n + 1;
                        END LOOP;
                        UPDATE portalauth.pets SET name = candidate WHERE tenant_id = dup.tenant_id AND id = dup.id;
                    END LOOP;
                END
                $$;
                CREATE UNIQUE INDEX ux_pets_client_name_on_file ON portalauth.pets (tenant_id, client_id, lower(name)) WHERE removed_at IS NULL;
                ALTER TABLE portalauth.pets FORCE ROW LEVEL SECURITY;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // The renamed pets keep their new names: they are right either way.
            migrationBuilder.Sql("DROP INDEX portalauth.ux_pets_client_name_on_file;");
        }
    }
}
