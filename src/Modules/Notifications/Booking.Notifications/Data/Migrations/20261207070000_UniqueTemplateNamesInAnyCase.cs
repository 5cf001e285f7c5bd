using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Booking.Notifications.Data.Migrations
{
    /// <summary>
    /// A business's templates have names of their own in any case (session 40's race audit: two saves at once of "Race
    /// note" and "race note" both passed <c>TemplateSaves.EnsureNameFreeAsync</c>, which compares lower(name), and the
    /// index behind it compared the exact name): the unique index <c>ux_email_templates_tenant_lower_name</c> on
    /// (tenant_id, lower(name)) is the backstop the check's comparison needs (as decision 217 did for pet names). Templates
    /// that already share a name in another case keep the first (ids are time-ordered, so the oldest) as it is; each later
    /// one gets " (2)", " (3)", … (the first number none of the business's templates has, shortened to fit 120
    /// characters), so the index can be built and staff can tell them apart. Forced row-level security hides every
    /// tenant's rows from the owner that migrates, so the table is unforced for the renames and forced again, inside the
    /// migration's transaction. SQL only: the model keeps its exact-name index (EF cannot describe an index on an expression).
    /// </summary>
    [DbContext(typeof(NotificationsDbContext))]
    [Migration("20261207070000_UniqueTemplateNamesInAnyCase")]
    public partial class UniqueTemplateNamesInAnyCase : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                ALTER TABLE notifications.email_templates NO FORCE ROW LEVEL SECURITY;
                DO $$
                DECLARE
                    dup record;
                    n int;
                    candidate text;
                BEGIN
                    FOR dup IN
                        SELECT tenant_id, id, name FROM (
                            SELECT tenant_id, id, name,
                                   row_number() OVER (PARTITION BY tenant_id, lower(name) ORDER BY id) AS place
                              FROM notifications.email_templates) AS named
                         WHERE place > 1
                         ORDER BY tenant_id, id
                    LOOP
                        n := 2;
                        LOOP
                            candidate := rtrim(left(dup.name, 120 - length(' (' || n || ')'))) || ' (' || n || ')';
                            EXIT WHEN NOT EXISTS (
                                SELECT 1 FROM notifications.email_templates AS t
                                 WHERE t.tenant_id = dup.tenant_id AND lower(t.name) = lower(candidate));
                            n := n + 1;
                        END LOOP;
                        UPDATE notifications.email_templates SET name = candidate WHERE tenant_id = dup.tenant_id AND id = dup.id;
                    END LOOP;
                END
                $$;
                CREATE UNIQUE INDEX ux_email_templates_tenant_lower_name ON notifications.email_templates (tenant_id, lower(name));
                ALTER TABLE notifications.email_templates FORCE ROW LEVEL SECURITY;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // The renamed templates keep their new names: they are right either way.
            migrationBuilder.Sql("DROP INDEX notifications.ux_email_templates_tenant_lower_name;");
        }
    }
}
