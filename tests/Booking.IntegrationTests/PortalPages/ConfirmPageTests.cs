using System.Globalization;
using System.Net;
using Booking.IntegrationTests.Appointments;
using Booking.IntegrationTests.Infrastructure;

namespace Booking.IntegrationTests.PortalPages;

/// <summary>The confirm page checks on GET that the chosen time is still free.</summary>
public sealed class ConfirmPageTests(SharedApp shared) : IClassFixture<SharedApp>
{
    [Fact]
    public async Task The_confirm_page_says_when_the_time_was_taken_since_the_slot_list_was_shown()
    {
        var b = await shared.App.BookableAsync();
        var alice = await shared.App.RegisterClientAsync(b.Biz);
        var bob = await shared.App.RegisterClientAsync(b.Biz, "Bob");
        var start = (await alice.Http.SlotsAsync(b, SchedulingApi.Day(2), SchedulingApi.Day(2))).Starts()[10];
        var iso = start.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);
        var url = $"/ol/new-booking/confirm?name={b.Biz.Slug}&service={b.ServiceId}&diary=any&start={Uri.EscapeDataString(iso)}";

        var free = await alice.Http.PageAsync(url);
        Assert.Equal(HttpStatusCode.OK, free.Status);
        Assert.Null(free.One("#no-longer-free"));

        Assert.Equal(HttpStatusCode.Created, (await bob.BookAsync(b, iso)).StatusCode);

        var taken = await alice.Http.PageAsync(url);
        Assert.Equal(HttpStatusCode.OK, taken.Status);
        Assert.Contains("no longer free", taken.One("#no-longer-free")?.TextContent, StringComparison.Ordinal);
        Assert.Contains(taken.All("#no-longer-free a"), a => a.GetAttribute("href")!.StartsWith("/ol/new-booking?", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_start_off_the_grid_is_not_offered_as_free()
    {
        var b = await shared.App.BookableAsync();
        var alice = await shared.App.RegisterClientAsync(b.Biz);
        var iso = SchedulingApi.At(SchedulingApi.Day(2), 10, 7);

        var page = await alice.Http.PageAsync($"/ol/new-booking/confirm?name={b.Biz.Slug}&service={b.ServiceId}&diary={b.DiaryId}&start={Uri.EscapeDataString(iso)}");

        Assert.NotNull(page.One("#no-longer-free"));
    }
}
