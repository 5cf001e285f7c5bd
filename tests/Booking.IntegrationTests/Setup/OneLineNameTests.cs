using System.Net;
using System.Net.Http.Json;
using Booking.IntegrationTests.Infrastructure;
using Booking.Notifications.Rendering;
using Calendar = Ical.Net.Calendar;

namespace Booking.IntegrationTests.Setup;

/// <summary>
/// The business's, the owner's, a staff member's, a service's and a diary's names are one line (decision 173): they
/// land in calendar files, subjects and one-line layouts, where a line break starts something of the writer's choosing.
/// A name stored before the rule still cannot add a line to a calendar file.
/// </summary>
public sealed class OneLineNameTests(SharedApp shared) : IClassFixture<SharedApp>
{
    private const string Injected = "Acme\r\nBcc: x@evil.example";

    private static void NamesTheField(System.Text.Json.JsonElement problem, string field)
    {
        Assert.Contains(field, problem.ErrorFields());
        Assert.Contains("one line", problem.GetProperty("errors").GetProperty(field)[0].GetString()!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_line_break_in_a_business_or_owner_name_is_refused_at_sign_up_naming_the_field()
    {
        async Task<System.Text.Json.JsonElement> SignUpAsync(string name, string owner) =>
            await (await shared.App.NewClient().PostAsJsonAsync("/api/v1/tenants", new
            {
                slug = $"crlf-{Guid.NewGuid():N}"[..20],
                name,
                timeZone = "Australia/Sydney",
                countryCode = "AU",
                owner = new { name = owner, email = $"o-{Guid.NewGuid():N}@example.com", password = TestBusiness.OwnerPassword },
            })).JsonAsync(HttpStatusCode.BadRequest);

        NamesTheField(await SignUpAsync(Injected, "Olive Owner"), "name");
        NamesTheField(await SignUpAsync("Acme", "Olive\nOwner"), "owner.name");
    }

    [Fact]
    public async Task A_line_break_in_a_staff_service_or_diary_name_is_refused_and_nothing_is_saved()
    {
        var biz = await shared.App.SignUpBusinessAsync();
        NamesTheField(await (await biz.Owner.PostAsJsonAsync("/api/v1/admin/staff", new
        {
            name = "Gina\r\nGroomer", email = $"s-{Guid.NewGuid():N}@example.com", password = TestBusiness.OwnerPassword,
            role = "practitioner", diaryIds = Array.Empty<Guid>(),
        })).JsonAsync(HttpStatusCode.BadRequest), "name");
        NamesTheField(await (await biz.Owner.PostAsJsonAsync("/api/v1/admin/diaries",
            new { name = "Dr\nLee", contactEmail = "lee@example.com", active = true })).JsonAsync(HttpStatusCode.BadRequest), "name");
        NamesTheField(await (await biz.Owner.PostAsJsonAsync("/api/v1/admin/services",
            SetupApi.ServiceBody("Massage\u2028Bcc: x", []))).JsonAsync(HttpStatusCode.BadRequest), "name");

        var staff = await biz.Owner.GetStringAsync(new Uri("/api/v1/admin/staff", UriKind.Relative));
        Assert.DoesNotContain("Gina", staff, StringComparison.Ordinal);
        Assert.DoesNotContain("Lee", await biz.Owner.GetStringAsync(new Uri("/api/v1/admin/diaries", UriKind.Relative)), StringComparison.Ordinal);
        Assert.DoesNotContain("Massage", await biz.Owner.GetStringAsync(new Uri("/api/v1/admin/services", UriKind.Relative)), StringComparison.Ordinal);
    }

    [Fact]
    public void A_stored_name_with_a_line_break_stays_inside_its_calendar_parameter()
    {
        var look = new BusinessLook(Injected + "\"; X-EVIL=1", "acme", "Australia/Sydney", "#334155", null, "https://booking.test/ol/book?name=acme",
            Email: "desk@acme.example");
        var start = new DateTimeOffset(2026, 12, 10, 0, 0, 0, TimeSpan.Zero);
        var text = EmailRenderer.BuildCalendar(new CalendarInvite(Guid.NewGuid(), CalendarInvite.Request, 0, start, start.AddHours(1), "Massage"),
            look, new CalendarParties("bookings@booking.test", "ana@example.com", "Ana\nBcc: y@evil.example"), start);

        var lines = text.ReplaceLineEndings("\n").Split('\n');
        Assert.DoesNotContain(lines, l => l.StartsWith("Bcc", StringComparison.OrdinalIgnoreCase));
        var evt = Assert.Single(Calendar.Load(text)!.Events);
        Assert.Equal("Acme Bcc: x@evil.example'; X-EVIL=1", evt.Organizer!.CommonName);
        Assert.Equal("Ana Bcc: y@evil.example", Assert.Single(evt.Attendees).CommonName);
    }
}
