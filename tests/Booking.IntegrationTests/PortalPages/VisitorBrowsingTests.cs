using System.Net;
using Booking.IntegrationTests.Appointments;
using Booking.IntegrationTests.Infrastructure;

namespace Booking.IntegrationTests.PortalPages;

/// <summary>
/// The booking URL is the business's shop window (review s20 J24): a visitor sees services, prices and free times
/// before joining, and signing in or creating an account at the chosen time comes back to it.
/// </summary>
public sealed class VisitorBrowsingTests(SharedApp shared) : IClassFixture<SharedApp>
{
    [Fact]
    public async Task A_visitor_sees_services_and_free_times_and_joining_at_a_chosen_time_comes_back_to_it()
    {
        var b = await shared.App.BookableAsync();
        var visitor = shared.App.NewClient();

        var landing = await visitor.PageAsync($"/ol/book?name={b.Biz.Slug}");
        Assert.NotNull(landing.One($"a[href='/ol/new-booking?name={b.Biz.Slug}']"));

        var services = await visitor.PageAsync($"/ol/new-booking?name={b.Biz.Slug}");
        Assert.Equal(HttpStatusCode.OK, services.Status);
        Assert.Contains("you sign in or create an account before the booking is made", services.Text, StringComparison.Ordinal);

        var times = await visitor.PageAsync($"/ol/new-booking?name={b.Biz.Slug}&service={b.ServiceId}&date={NewBookingDay()}");
        Assert.Equal(HttpStatusCode.OK, times.Status);
        var slot = times.All("a.slot").FirstOrDefault()?.GetAttribute("href");
        Assert.NotNull(slot);
        Assert.StartsWith("/ol/new-booking/confirm?", slot, StringComparison.Ordinal);

        // The confirm page asks for a session, and keeps the way back through "Create an account".
        var confirm = await visitor.GetAsync(new Uri(slot, UriKind.Relative));
        Assert.Equal(HttpStatusCode.Redirect, confirm.StatusCode);
        var signIn = await visitor.PageAsync(confirm.Headers.Location!.OriginalString);
        var register = signIn.All("a").Select(a => a.GetAttribute("href") ?? "").Single(h => h.StartsWith("/ol/register?", StringComparison.Ordinal));
        Assert.Contains("returnUrl=" + Uri.EscapeDataString(slot), register, StringComparison.Ordinal);

        var form = await visitor.PageAsync(register);
        var joined = await visitor.SubmitAsync(form, PortalHtml.Fields(("Input.FirstName", "Vera"), ("Input.LastName", "Visitor"),
            ("Input.Email", $"vera-{Guid.NewGuid():N}@client.example"), ("Input.Mobile", ""), ("Input.Password", "a long visitor password 2026!")));
        Assert.Equal(HttpStatusCode.Redirect, joined.Status);
        Assert.Equal(slot, joined.Response.Headers.Location!.OriginalString);
        var back = await visitor.PageAsync(slot);
        Assert.Equal(HttpStatusCode.OK, back.Status);
        Assert.NotNull(back.One("form[method=post]"));
    }

    [Fact]
    public async Task A_return_address_off_the_portal_is_not_followed_after_joining()
    {
        var b = await shared.App.BookableAsync();
        var visitor = shared.App.NewClient();
        var form = await visitor.PageAsync($"/ol/register?name={b.Biz.Slug}&returnUrl={Uri.EscapeDataString("https://evil.example/ol/x")}");
        var joined = await visitor.SubmitAsync(form, PortalHtml.Fields(("Input.FirstName", "Vic"), ("Input.LastName", "Visitor"),
            ("Input.Email", $"vic-{Guid.NewGuid():N}@client.example"), ("Input.Mobile", ""), ("Input.Password", "a long visitor password 2026!")));
        Assert.Equal(HttpStatusCode.Redirect, joined.Status);
        Assert.StartsWith("/ol/", joined.Response.Headers.Location!.OriginalString, StringComparison.Ordinal);
    }

    private static string NewBookingDay() => SchedulingApi.Day(3).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
}
