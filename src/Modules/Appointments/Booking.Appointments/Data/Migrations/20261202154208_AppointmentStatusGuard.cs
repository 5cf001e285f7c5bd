using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Booking.Appointments.Data.Migrations
{
    /// <summary>
    /// No change to the schema: the model now marks appointments.status as a concurrency token, so EF saves a
    /// change of an appointment only while its status is still the one read (decision 56).
    /// </summary>
    public partial class AppointmentStatusGuard : Migration
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
