using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Booking.Services.Data.Migrations
{
    /// <summary>
    /// A live service's name is one per business, in any case (decision 210's check, now held by the database too):
    /// the unique index <c>ux_services_live_name</c> on (tenant_id, lower(name)) where not retired, so two saves at
    /// one instant cannot both pass the handlers' look. Names are stored trimmed, so lower(name) is what the handlers
    /// compare. Live services that already share a name (saved before the check, or by such a race) keep the oldest
    /// as it is; each later one gets " (2)", " (3)", … (the first number no live service of the business has, the name
    /// shortened to fit 120 characters), so the index can be built and staff see two names they can tell apart.
    /// Forced row-level security hides every tenant's rows from the owner that migrates, so the table is unforced for
    /// the renames and forced again, inside the migration's transaction. SQL only: the model does not change (EF
    /// cannot describe an index on an expression).
    /// </summary>
    [DbContext(typeof(ServicesDbContext))]
    [Migration("20261205090000_UniqueLiveServiceNames")]
    public partial class UniqueLiveServiceNames : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                ALTER TABLE services.services NO FORCE ROW LEVEL SECURITY;
                DO $$
                DECLARE
                    dup record;
                    n int;
                    candidate text;
                BEGIN
                    FOR dup IN
                        SELECT tenant_id, id, name FROM (
                            SELECT tenant_id, id, name, created_at,
                                   row_number() OVER (PARTITION BY tenant_id, lower(name) ORDER BY created_at, id) AS place
                              FROM services.services
                             WHERE retired_at IS NULL) AS live
                         WHERE place > 1
                         ORDER BY tenant_id, created_at, id
                    LOOP
                        n := 2;
                        LOOP
                            candidate := rtrim(left(dup.name, 120 - length(' (' || n || ')'))) || ' (' || n || ')';
                            EXIT WHEN NOT EXISTS (
                                SELECT 1 FROM services.services AS s
                                 WHERE s.tenant_id = dup.tenant_id AND s.retired_at IS NULL AND lower(s.name) = lower(candidate));
                            n := n + 1;
                        END LOOP;
                        UPDATE services.services SET name = candidate, updated_at = now()
                         WHERE tenant_id = dup.tenant_id AND id = dup.id;
                    END LOOP;
                END
                $$;
                CREATE UNIQUE INDEX ux_services_live_name ON services.services (tenant_id, lower(name)) WHERE retired_at IS NULL;
                ALTER TABLE services.services FORCE ROW LEVEL SECURITY;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // The renamed services keep their new names: they are right either way.
            migrationBuilder.Sql("DROP INDEX services.ux_services_live_name;");
        }
    }
}
