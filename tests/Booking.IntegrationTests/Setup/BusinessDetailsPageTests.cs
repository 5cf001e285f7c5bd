using System.Net;
using System.Net.Http.Json;
using Booking.IntegrationTests.Appointments;
using Booking.IntegrationTests.Infrastructure;
using Booking.IntegrationTests.PortalPages;
using static Booking.IntegrationTests.Appointments.SchedulingApi;

namespace Booking.IntegrationTests.Setup;

/// <summary>
/// Setup → Business details, the page: an owner's form (errors next to their fields, in the page's words), a new time
/// zone saved only after a step that says what it does to upcoming appointments, the roster and busy time; an admin
/// reads the details and is told only an owner changes them.
/// </summary>
public sealed class BusinessDetailsPageTests(SharedApp shared) : IClassFixture<SharedApp>
{
    private BookingApp App => shared.App;

    private static Task<HtmlPage> SaveAsync(TestBusiness biz, HtmlPage page, params (string Name, string Value)[] fields) =>
        biz.Owner.SubmitAsync(page, PortalHtml.Fields(fields), "#details-form");

    [Fact]
    public async Task A_new_time_zone_is_saved_only_after_the_page_says_what_happens_to_upcoming_appointments()
    {
        var b = await App.BookableAsync();
        var client = await App.RegisterClientAsync(b.Biz);
        await (await client.BookAsync(b, At(Day(3), 10))).JsonAsync(HttpStatusCode.Created);
        await (await client.BookAsync(b, At(Day(4), 10))).JsonAsync(HttpStatusCode.Created);

        var page = await b.Biz.Owner.PageAsync("/staff/setup/business");
        Assert.Contains("/staff/setup/business", page.All("nav a").Select(a => a.GetAttribute("href")));
        Assert.Contains($"/ol/book?name={b.Biz.Slug}", page.One("#name-hint")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("whatever the name", page.One("#name-hint")!.TextContent, StringComparison.Ordinal);

        // Saving a new zone (and a new name) asks first and saves nothing.
        var asked = await SaveAsync(b.Biz, page, ("Input.Name", "Perth Clinic"), ("Input.TimeZone", "Australia/Perth"));
        Assert.Equal(HttpStatusCode.OK, asked.Status);
        var step = asked.One("#zone-change");
        Assert.NotNull(step);
        Assert.Equal("Change the time zone from Australia/Sydney to Australia/Perth?", step.QuerySelector("h2")!.TextContent.Trim());
        var said = step.QuerySelector("#zone-change-appointments")!.TextContent;
        Assert.Contains("Appointments stay at the same moment in time, so your 2 upcoming appointments will show at a different time of day.", said, StringComparison.Ordinal);
        Assert.Contains("10:00", step.QuerySelector("#zone-change-before")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("AWST", step.QuerySelector("#zone-change-after")!.TextContent, StringComparison.Ordinal);
        Assert.Contains("Nothing is moved and no client is told", said, StringComparison.Ordinal);
        Assert.Contains("weekly roster and online hours keep their times of day", step.TextContent, StringComparison.Ordinal);
        var details = await (await b.Biz.Owner.GetAsync(new Uri("/api/v1/admin/business", UriKind.Relative))).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("Australia/Sydney", details.GetProperty("timeZone").GetString());
        Assert.Equal($"Business {b.Biz.Slug}", details.GetProperty("name").GetString());

        // Confirming saves what was asked, the name too.
        var confirmed = await b.Biz.Owner.SubmitAsync(asked, PortalHtml.Fields(), "#zone-change form");
        Assert.Equal(HttpStatusCode.Redirect, confirmed.Status);
        var after = await b.Biz.Owner.PageAsync(confirmed.Response.Headers.Location!.OriginalString);
        var notice = after.One("p.notice")!.TextContent;
        Assert.Contains("Your business is now called Perth Clinic; your booking address has not changed.", notice, StringComparison.Ordinal);
        Assert.Contains("Times are now shown in Australia/Perth time.", notice, StringComparison.Ordinal);
        details = await (await b.Biz.Owner.GetAsync(new Uri("/api/v1/admin/business", UriKind.Relative))).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("Australia/Perth", details.GetProperty("timeZone").GetString());
        Assert.Equal("Perth Clinic", details.GetProperty("name").GetString());
        Assert.Equal("Perth Clinic", after.One(".staff-business")!.TextContent.Trim());

        // A name change alone asks nothing.
        var renamed = await SaveAsync(b.Biz, after, ("Input.Name", "Perth Physio"));
        Assert.Equal(HttpStatusCode.Redirect, renamed.Status);
    }

    [Fact]
    public async Task Bad_fields_are_shown_next_to_their_fields_in_the_page_s_words_and_nothing_is_asked()
    {
        var biz = await App.SignUpBusinessAsync("details-page-bad");
        var page = await biz.Owner.PageAsync("/staff/setup/business");
        var failed = await SaveAsync(biz, page, ("Input.Name", " "), ("Input.TimeZone", "Mars/Olympus"), ("Input.CountryCode", ""));
        Assert.Equal(HttpStatusCode.OK, failed.Status);
        Assert.Null(failed.One("#zone-change"));
        Assert.Equal("Enter the business's name.", failed.One("#name-error")!.TextContent.Trim());
        Assert.Equal("Choose your time zone.", failed.One("#tz-error")!.TextContent.Trim());
        Assert.Equal("Choose your country.", failed.One("#country-error")!.TextContent.Trim());
        Assert.Equal("true", failed.One("#Input_Name")!.GetAttribute("aria-invalid"));
        Assert.NotNull(failed.One("#error-summary a[href='#Input_TimeZone']"));
    }

    [Fact]
    public async Task An_admin_reads_the_details_and_is_told_only_an_owner_changes_them()
    {
        var biz = await App.SignUpBusinessAsync("details-page-admin");
        const string password = "a team member's password 2026";
        var email = $"ada@{biz.Slug}.example";
        await (await biz.Owner.PostAsJsonAsync("/api/v1/admin/staff", new { name = "Ada Admin", email, password, role = "admin", diaryIds = Array.Empty<Guid>() }))
            .JsonAsync(HttpStatusCode.Created);
        var admin = App.NewClient();
        await (await admin.PostAsJsonAsync($"/api/v1/staff/auth/sign-in?name={biz.Slug}", new { email, password })).JsonAsync(HttpStatusCode.OK);

        var page = await admin.PageAsync("/staff/setup/business");
        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Equal("Only an owner can change these details.", page.One("#owners-only")!.TextContent.Trim());
        Assert.Null(page.One("#details-form"));
        Assert.Contains($"Business {biz.Slug}", page.One("dl")!.TextContent, StringComparison.Ordinal);

        // A post made anyway (with the admin's own antiforgery token) is refused, and nothing changes.
        var token = page.One("input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
        using var post = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token,
            ["Input.Name"] = "Admin's Choice",
            ["Input.TimeZone"] = "Australia/Sydney",
            ["Input.CountryCode"] = "AU",
        });
        var refused = await PortalHtml.ReadAsync(await admin.PostAsync(new Uri("/staff/setup/business", UriKind.Relative), post));
        Assert.Equal(HttpStatusCode.Forbidden, refused.Status);
        Assert.Contains("Only an owner can change the business's name, time zone and country.", refused.Text, StringComparison.Ordinal);
        var details = await (await biz.Owner.GetAsync(new Uri("/api/v1/admin/business", UriKind.Relative))).JsonAsync(HttpStatusCode.OK);
        Assert.Equal($"Business {biz.Slug}", details.GetProperty("name").GetString());
    }
}
