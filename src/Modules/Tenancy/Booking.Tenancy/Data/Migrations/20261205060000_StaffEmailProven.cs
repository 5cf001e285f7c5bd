using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Booking.Tenancy.Data.Migrations
{
    /// <summary>
    /// A staff member's sign-in email is proven (`email_proven_at`) once they use a password reset link emailed there;
    /// a change of the email clears it. Booking and cancellation request emails go to owners and admins only at a proven
    /// address. Existing staff start unproven: sign-up and Team took every address as typed, and the request emails to
    /// owners and admins are recent (decision 194), so nothing long relied on is stopped.
    /// </summary>
    [DbContext(typeof(TenancyDbContext))]
    [Migration("20261205060000_StaffEmailProven")]
    public partial class StaffEmailProven : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "email_proven_at",
                schema: "tenancy",
                table: "staff_members",
                type: "timestamp with time zone",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "email_proven_at",
                schema: "tenancy",
                table: "staff_members");
        }
    }
}
