using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Booking.Services.Data.Migrations
{
    /// <inheritdoc />
    public partial class PriceMinorUnits : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AlterColumn<decimal>(
                name: "price_amount",
                schema: "services",
                table: "services",
                type: "numeric(13,3)",
                precision: 13,
                scale: 3,
                nullable: false,
                oldClrType: typeof(decimal),
                oldType: "numeric(12,2)",
                oldPrecision: 12,
                oldScale: 2);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AlterColumn<decimal>(
                name: "price_amount",
                schema: "services",
                table: "services",
                type: "numeric(12,2)",
                precision: 12,
                scale: 2,
                nullable: false,
                oldClrType: typeof(decimal),
                oldType: "numeric(13,3)",
                oldPrecision: 13,
                oldScale: 3);
        }
    }
}
