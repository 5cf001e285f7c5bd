using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Booking.Notifications.Data.Migrations
{
    /// <summary>
    /// Decision 352: a business with no <c>notification_settings</c> row now has the new-business defaults (its diary
    /// contacts emailed on a new and on a cancelled portal appointment), where it had nothing enabled. Every business there
    /// is now and has no row gets one saying what it had (both off, standard texts, no extra addresses, staff changes not
    /// told), so no live business starts or stops getting emails it did not choose; only businesses signed up after this
    /// migration have the defaults. Forced row-level security hides every tenant's rows from the owner that migrates, so
    /// the table is unforced for the insert and forced again, inside the migration's transaction. The businesses are read
    /// from <c>tenancy.tenants</c> when it exists (a fresh database has none to write). SQL only: the model is unchanged.
    /// </summary>
    [DbContext(typeof(NotificationsDbContext))]
    [Migration("20261207163000_NotificationDefaultsForNewBusinesses")]
    public partial class NotificationDefaultsForNewBusinesses : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                ALTER TABLE notifications.notification_settings NO FORCE ROW LEVEL SECURITY;
                DO $$
                BEGIN
                    IF to_regclass('tenancy.tenants') IS NOT NULL THEN
                        INSERT INTO notifications.notification_settings
                            (tenant_id, notify_on_new_enabled, notify_on_new_template_id, notify_on_cancelled_enabled,
                             notify_on_cancelled_template_id, extra_addresses, extra_addresses_template_id, include_staff_changes, updated_at)
                        SELECT t.id, false, NULL, false, NULL, '{}'::text[], NULL, false, now()
                          FROM tenancy.tenants AS t
                         WHERE NOT EXISTS (SELECT 1 FROM notifications.notification_settings AS s WHERE s.tenant_id = t.id);
                    END IF;
                END
                $$;
                ALTER TABLE notifications.notification_settings FORCE ROW LEVEL SECURITY;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // The rows it wrote cannot be told from rows a business saved with both switches off; they stay.
        }
    }
}
