using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Booking.PortalAuth.Data.Migrations
{
    /// <summary>
    /// No change to the schema: the model now marks password_reset_tokens.used_at as a concurrency token, so EF saves
    /// a link's use only while it is still unused (decision 56).
    /// </summary>
    public partial class ResetLinkUsedOnce : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {

        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {

        }
    }
}
