using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Booking.Notifications.Data.Migrations
{
    /// <summary>
    /// Reset emails sent or failed before their links were removed after the last attempt keep the plain link in their
    /// content: it goes, as the delivery job now removes it. Queued ones are left to be sent (the job takes a plain link
    /// from before the change as it is) and lose it then. Forced row-level security hides every tenant's rows from the
    /// owner that migrates, so the table is unforced for the update and forced again in the migration's transaction.
    /// SQL only: the model does not change.
    /// </summary>
    [DbContext(typeof(NotificationsDbContext))]
    [Migration("20261204220000_ResetLinksOutOfOldRows")]
    public partial class ResetLinksOutOfOldRows : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                ALTER TABLE notifications.outbound_messages NO FORCE ROW LEVEL SECURITY;
                UPDATE notifications.outbound_messages
                   SET content = jsonb_set(content - 'action', '{values,ResetUrl}',
                       to_jsonb(CASE WHEN status = 'sent' THEN '[link removed after sending]' ELSE '[link removed: the email could not be sent]' END))
                 WHERE kind IN ('client-password-reset', 'staff-password-reset') AND status IN ('sent', 'failed')
                   AND content -> 'values' ? 'ResetUrl';
                ALTER TABLE notifications.outbound_messages FORCE ROW LEVEL SECURITY;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // Nothing to undo: the links are gone for good, as they should be.
        }
    }
}
