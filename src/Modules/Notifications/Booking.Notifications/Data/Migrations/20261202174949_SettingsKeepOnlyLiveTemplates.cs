using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Booking.Notifications.Data.Migrations
{
    /// <summary>
    /// A business's notification settings name only templates that exist (decision 60). Each of the three template
    /// ids gets a foreign key to the business's templates that, when a template is deleted, clears that id alone
    /// (PostgreSQL 15's <c>ON DELETE SET NULL (column)</c>; the tenant id it shares with the key stays). EF Core cannot
    /// express a column list there, so the keys are SQL here and not in the model. Ids left dangling by a delete that
    /// raced a save before this migration are cleared first, with forced row-level security lifted for the update
    /// inside the migration's transaction (as in the Tenancy module's BackfillLogoVersion).
    /// </summary>
    public partial class SettingsKeepOnlyLiveTemplates : Migration
    {
        private static readonly string[] Columns = ["notify_on_new_template_id", "notify_on_cancelled_template_id", "extra_addresses_template_id"];

        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("ALTER TABLE notifications.notification_settings NO FORCE ROW LEVEL SECURITY;");
            migrationBuilder.Sql("ALTER TABLE notifications.email_templates NO FORCE ROW LEVEL SECURITY;");
            foreach (var column in Columns)
            {
                migrationBuilder.Sql($"""
                    UPDATE notifications.notification_settings AS s SET {column} = NULL
                    WHERE s.{column} IS NOT NULL
                      AND NOT EXISTS (SELECT 1 FROM notifications.email_templates AS t WHERE t.tenant_id = s.tenant_id AND t.id = s.{column});
                    """);
                migrationBuilder.Sql($"""
                    ALTER TABLE notifications.notification_settings ADD CONSTRAINT fk_notification_settings_{column}
                    FOREIGN KEY (tenant_id, {column}) REFERENCES notifications.email_templates (tenant_id, id)
                    ON DELETE SET NULL ({column});
                    """);
            }

            migrationBuilder.Sql("ALTER TABLE notifications.notification_settings FORCE ROW LEVEL SECURITY;");
            migrationBuilder.Sql("ALTER TABLE notifications.email_templates FORCE ROW LEVEL SECURITY;");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            foreach (var column in Columns)
            {
                migrationBuilder.Sql($"ALTER TABLE notifications.notification_settings DROP CONSTRAINT fk_notification_settings_{column};");
            }
        }
    }
}
