using System.Globalization;
using System.Net;
using Booking.IntegrationTests.Appointments;
using Booking.IntegrationTests.Infrastructure;

namespace Booking.IntegrationTests.PortalPages;

/// <summary>Words a client trips over (review s20 J16): no "Welcome back" a second after joining, no status code in brackets.</summary>
public sealed class PortalWordingTests(SharedApp shared) : IClassFixture<SharedApp>
{
    [Fact]
    public async Task The_booking_page_greets_a_client_by_name_and_tells_one_not_yet_approved_that_bookings_are_requests()
    {
        var b = await shared.App.BookableAsync();
        var nina = await shared.App.RegisterClientAsync(b.Biz, firstName: "Nina");
        var approved = await nina.Http.PageAsync($"/ol/book?name={b.Biz.Slug}");
        Assert.Contains(approved.All("h2"), h => h.TextContent.Trim() == "Hello Nina");
        Assert.DoesNotContain("Welcome back", approved.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("your bookings are requests", approved.Text, StringComparison.Ordinal);

        await Sql.AdminExecAsync(shared.App.Database.Database, "UPDATE portalauth.clients SET status = 'pending-approval' WHERE id = @id", ("id", nina.Id));
        var pending = await nina.Http.PageAsync($"/ol/book?name={b.Biz.Slug}");
        Assert.Contains("has not confirmed you as a client yet; your bookings are requests until then.", pending.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_cancel_page_of_a_cancelled_appointment_says_it_is_already_cancelled()
    {
        var b = await shared.App.BookableAsync();
        var alice = await shared.App.RegisterClientAsync(b.Biz);
        var start = (await alice.Http.SlotsAsync(b, SchedulingApi.Day(5), SchedulingApi.Day(5))).Starts()[0];
        var booked = await (await alice.BookAsync(b, start.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture))).JsonAsync(HttpStatusCode.Created);
        var id = booked.GetProperty("id").GetGuid();
        Assert.Equal(HttpStatusCode.OK, (await alice.Http.CancelAsync(b.Biz.Slug, id, "Plans changed")).StatusCode);

        var page = await alice.Http.PageAsync($"/ol/cancel?name={b.Biz.Slug}&id={id}");
        Assert.Equal("This appointment is already cancelled.", page.One("[role=status]")?.TextContent.Trim());
        Assert.DoesNotContain("(cancelled)", page.Text, StringComparison.Ordinal);
    }
}
