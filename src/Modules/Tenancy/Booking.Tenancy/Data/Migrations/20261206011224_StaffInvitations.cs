using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Booking.Tenancy.Data.Migrations
{
    /// <inheritdoc />
    public partial class StaffInvitations : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "invitation",
                schema: "tenancy",
                table: "staff_password_reset_tokens",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "invited_at",
                schema: "tenancy",
                table: "staff_members",
                type: "timestamp with time zone",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "invitation",
                schema: "tenancy",
                table: "staff_password_reset_tokens");

            migrationBuilder.DropColumn(
                name: "invited_at",
                schema: "tenancy",
                table: "staff_members");
        }
    }
}
