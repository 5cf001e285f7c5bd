using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Booking.PortalAuth.Data.Migrations
{
    /// <summary>
    /// PasswordResetRequested events written before the link was encrypted carried it plain (resetUrl); outbox rows are
    /// kept, so the link goes from them. An event not yet handed on then sends nothing (the client asks again).
    /// SQL only: the model does not change.
    /// </summary>
    [DbContext(typeof(PortalAuthDbContext))]
    [Migration("20261204220000_ResetLinksOutOfOldRows")]
    public partial class ResetLinksOutOfOldRows : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                UPDATE portalauth.outbox_messages SET payload = payload - 'resetUrl'
                 WHERE type LIKE '%PasswordResetRequested%' AND payload ? 'resetUrl';
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            // Nothing to undo: the links are gone for good, as they should be.
        }
    }
}
