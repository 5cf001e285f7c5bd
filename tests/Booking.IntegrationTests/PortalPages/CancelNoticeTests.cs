using System.Net;
using Booking.IntegrationTests.Appointments;
using Booking.IntegrationTests.Infrastructure;
using static Booking.IntegrationTests.Appointments.SchedulingApi;

namespace Booking.IntegrationTests.PortalPages;

/// <summary>
/// "Your appointment is cancelled." is said once, on the page the cancel redirects to, and only after a cancel:
/// not from a crafted address, not on a reload.
/// </summary>
public sealed class CancelNoticeTests(SharedApp shared) : IClassFixture<SharedApp>
{
    private const string Said = "Your appointment is cancelled.";

    private BookingApp App => shared.App;

    [Fact]
    public async Task The_outcome_is_said_once_after_the_cancel_and_never_from_the_address()
    {
        var b = await App.BookableAsync();
        var client = await App.RegisterClientAsync(b.Biz);
        var slug = b.Biz.Slug;
        var id = (await (await client.BookAsync(b, At(Day(4), 10))).JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();

        var crafted = await client.Http.PageAsync($"/ol/appointments?name={slug}&done=cancelled");
        Assert.Equal(HttpStatusCode.OK, crafted.Status);
        Assert.DoesNotContain(Said, crafted.Text, StringComparison.Ordinal);

        var cancelPage = await client.Http.PageAsync($"/ol/cancel?name={slug}&id={id}");
        var after = await client.Http.SubmitAsync(cancelPage, PortalHtml.Fields(("Input.Reason", "Plans changed")));
        Assert.Equal(HttpStatusCode.Redirect, after.Status);
        var next = after.Response.Headers.Location!.OriginalString;
        Assert.DoesNotContain("done=", next, StringComparison.Ordinal);

        var told = await client.Http.PageAsync(next);
        Assert.Contains(Said, told.Text, StringComparison.Ordinal);
        Assert.NotNull(told.One("[role=status]"));

        var reloaded = await client.Http.PageAsync(next);
        Assert.Equal(HttpStatusCode.OK, reloaded.Status);
        Assert.DoesNotContain(Said, reloaded.Text, StringComparison.Ordinal);
    }
}
