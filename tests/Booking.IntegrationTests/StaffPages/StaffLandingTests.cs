using System.Net;
using Booking.IntegrationTests.Appointments;
using Booking.IntegrationTests.Infrastructure;
using static Booking.IntegrationTests.Appointments.SchedulingApi;

namespace Booking.IntegrationTests.StaffPages;

/// <summary>
/// /staff, where sign-in lands: an owner of a business that cannot take bookings yet lands on Setup → Client Portal
/// (its "Ready to take bookings?" list); once it can, on the diary, or on Requests while requests wait (review s31 #14).
/// </summary>
public sealed class StaffLandingTests(SharedApp shared) : IClassFixture<SharedApp>
{
    private BookingApp App => shared.App;

    private static async Task<string> LandingAsync(TestBusiness biz)
    {
        var landed = await biz.Owner.GetAsync(new Uri("/staff", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Redirect, landed.StatusCode);
        return landed.Headers.Location!.OriginalString;
    }

    [Fact]
    public async Task An_owner_lands_on_setup_until_the_business_can_take_bookings_then_on_the_diary_or_waiting_requests()
    {
        var unready = await App.SignUpBusinessAsync();
        Assert.Equal("/staff/setup/portal", await LandingAsync(unready));

        var b = await App.BookableAsync();
        Assert.Equal("/staff/diary", await LandingAsync(b.Biz));

        await b.Biz.SettingsAsync(s => s["newClientsNeedApproval"] = true);
        var nina = await App.RegisterClientAsync(b.Biz, "Nina", "New");
        var requested = await (await nina.BookAsync(b, At(Day(3), 10))).JsonAsync(HttpStatusCode.Created);
        Assert.Equal("requested", requested.GetProperty("status").GetString());
        Assert.Equal("/staff/requests", await LandingAsync(b.Biz));

        // Switching the portal off makes the business unready again: back to the setup page that says so.
        await b.Biz.SettingsAsync(s => s["enabled"] = false);
        Assert.Equal("/staff/setup/portal", await LandingAsync(b.Biz));
    }
}
