using System.Globalization;
using System.Net;
using Booking.IntegrationTests.Appointments;
using Booking.IntegrationTests.Infrastructure;

namespace Booking.IntegrationTests.PortalPages;

/// <summary>The "You're booked" page says what is true now (review J1), not what was true when it was first shown.</summary>
public sealed class BookedPageStatusTests(SharedApp shared) : IClassFixture<SharedApp>
{
    [Fact]
    public async Task The_booked_page_of_a_cancelled_appointment_says_it_is_cancelled()
    {
        var b = await shared.App.BookableAsync();
        var alice = await shared.App.RegisterClientAsync(b.Biz);
        var start = (await alice.Http.SlotsAsync(b, SchedulingApi.Day(4), SchedulingApi.Day(4))).Starts()[1];
        var booked = await (await alice.BookAsync(b, start.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture))).JsonAsync(HttpStatusCode.Created);
        var id = booked.GetProperty("id").GetGuid();
        var url = $"/ol/booked?name={b.Biz.Slug}&id={id}";

        var before = await alice.Http.PageAsync(url);
        Assert.Equal("You're booked", before.One("h1")?.TextContent.Trim());
        Assert.Equal("Your appointment is confirmed.", before.One("[role=status]")?.TextContent.Trim());

        Assert.Equal(HttpStatusCode.OK, (await alice.Http.CancelAsync(b.Biz.Slug, id, "Vet visit clash")).StatusCode);

        var after = await alice.Http.PageAsync(url);
        Assert.Equal(HttpStatusCode.OK, after.Status);
        Assert.Equal("Appointment cancelled", after.One("h1")?.TextContent.Trim());
        Assert.Equal("This appointment is cancelled.", after.One("[role=status]")?.TextContent.Trim());
        Assert.DoesNotContain("confirmed", after.Text, StringComparison.OrdinalIgnoreCase);
        Assert.Null(after.One("a[href^='/ol/calendar']"));
    }
}
