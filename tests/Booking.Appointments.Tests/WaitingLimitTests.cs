using Booking.Appointments.Features.PortalAppointments;
using Booking.Tenancy.Contracts;

namespace Booking.Appointments.Tests;

/// <summary>
/// How many booking requests a client not yet approved may have waiting (decision 310): one per pet on file, never
/// fewer than the two every client has, and never more than four however many pets the client adds (pets are the
/// client's own to add, so junk pets must not lift decision 181's guard against a flood of request emails).
/// </summary>
public sealed class WaitingLimitTests
{
    [Theory]
    [InlineData(0, 2)]
    [InlineData(1, 2)]
    [InlineData(3, 3)]
    [InlineData(4, 4)]
    [InlineData(10, 4)]
    [InlineData(50, 4)]
    public void A_household_asks_once_per_pet_between_two_and_four(int pets, int waiting)
    {
        Assert.Equal(waiting, BookPortalAppointmentHandler.WaitingLimit(pets));
        Assert.InRange(waiting, PortalBookingLimits.WaitingRequests, PortalBookingLimits.WaitingRequestsForPets);
    }
}
