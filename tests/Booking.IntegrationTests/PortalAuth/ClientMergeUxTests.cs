using System.Net;
using System.Net.Http.Json;
using Booking.IntegrationTests.Appointments;
using Booking.IntegrationTests.Infrastructure;
using Booking.IntegrationTests.PortalPages;
using static Booking.IntegrationTests.Appointments.SchedulingApi;

namespace Booking.IntegrationTests.PortalAuth;

/// <summary>
/// Decision 314: the Merge page and the duplicates hint after the product and security reviews: appointments of the two
/// records at overlapping times are named before merging (not refused).
/// </summary>
public sealed class ClientMergeUxTests(SharedApp shared) : IClassFixture<SharedApp>
{
    private BookingApp App => shared.App;

    private static Uri Api(string rest) => new("/api/v1/admin/clients" + rest, UriKind.Relative);

    private static async Task<Guid> WalkInAsync(TestBusiness biz, string first, string last, bool withMobile = true) =>
        (await (await biz.Owner.PostAsJsonAsync(Api(""), new
        {
            firstName = first, lastName = last, email = withMobile ? null : $"walk-{Guid.NewGuid():N}@client.example", mobile = withMobile ? MobileIn(biz.CountryCode) : null,
        })).JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();

    private static async Task<Guid> BookAsync(TestBusiness biz, Guid diaryId, Guid serviceId, Guid clientId, string start) =>
        (await (await biz.Owner.PostAsJsonAsync("/api/v1/admin/appointments",
            new { clientId, serviceId, diaryId, start, note = "" })).JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();

    [Fact]
    public async Task Appointments_of_the_two_records_at_overlapping_times_are_listed_on_the_hint_and_the_merge_page_and_the_merge_still_goes()
    {
        var b = await App.BookableAsync();
        var second = await b.Biz.DiaryAsync("Dr Beta");
        await b.Biz.RosterEveryDayAsync(second, "00:00", "23:30");
        var service = await b.Biz.ServiceAsync("Check-up", 60, 0, [b.DiaryId, second]);
        var keep = await WalkInAsync(b.Biz, "Rosa", "Delgado");
        var away = await WalkInAsync(b.Biz, "Rosa", "Delgado", withMobile: false);
        var byPhone = await BookAsync(b.Biz, b.DiaryId, service, keep, At(Day(2), 10));
        var online = await BookAsync(b.Biz, second, service, away, At(Day(2), 10, 30)); // overlaps by half an hour
        await BookAsync(b.Biz, b.DiaryId, service, away, At(Day(2), 11)); // starts as the kept one ends: no overlap
        var cancelled = await BookAsync(b.Biz, second, service, away, At(Day(2), 9, 30));
        (await b.Biz.Owner.PostAsJsonAsync($"/api/v1/admin/appointments/{cancelled}/cancel", new { reason = "booked twice" })).EnsureSuccessStatusCode();

        var hint = Assert.Single((await (await b.Biz.Owner.GetAsync(Api($"/{keep}/duplicates"))).JsonAsync(HttpStatusCode.OK)).GetProperty("items").EnumerateArray());
        var pair = Assert.Single(hint.GetProperty("overlappingAppointments").EnumerateArray());
        Assert.Equal((byPhone, online), (pair.GetProperty("mine").GetProperty("appointmentId").GetGuid(), pair.GetProperty("theirs").GetProperty("appointmentId").GetGuid()));
        Assert.Equal(away, pair.GetProperty("otherClientId").GetGuid());

        var page = await b.Biz.Owner.PageAsync($"/staff/clients/{keep}/merge?with={away}");
        var warning = page.One("#merge-overlaps")!;
        Assert.Contains("booked twice at the same time", warning.TextContent, StringComparison.Ordinal);
        Assert.Equal([$"/staff/diary/appointments/{byPhone}", $"/staff/diary/appointments/{online}"],
            page.All("#merge-overlap-list a").Select(a => a.GetAttribute("href")).ToList());
        Assert.NotNull(page.One("#merge-confirm")); // a warning, not a refusal: staff vouch, and both may be meant

        (await (await b.Biz.Owner.PostAsJsonAsync(Api($"/{keep}/merge"), new { mergeId = away.ToString() })).JsonAsync(HttpStatusCode.OK)).GetProperty("id");
    }

    [Fact]
    public async Task Staff_find_a_record_the_hint_does_not_pair_from_the_client_page_and_the_hint_shows_a_landline_when_that_is_all_there_is()
    {
        var biz = await App.SignUpBusinessAsync();
        var rosa = await WalkInAsync(biz, "Rosa", "Delgado");
        var ruiz = await WalkInAsync(biz, "Rosa", "Delgado-Ruiz", withMobile: false);
        var page = await biz.Owner.PageAsync($"/staff/clients/{rosa}");
        Assert.Null(page.One("#duplicates")); // the names differ: no hint
        Assert.NotNull(page.One("#merge-other label[for=merge-search]"));

        var found = await biz.Owner.PageAsync($"/staff/clients/{rosa}?mergeSearch=delgado");
        Assert.Equal([$"/staff/clients/{rosa}/merge?with={ruiz}"], found.All("#merge-search-results a").Select(a => a.GetAttribute("href")).ToList());
        Assert.NotNull(found.One("#merge-other[open]"));
        Assert.NotNull((await biz.Owner.PageAsync($"/staff/clients/{rosa}/merge?with={ruiz}")).One("#merge-confirm"));
        Assert.NotNull((await biz.Owner.PageAsync($"/staff/clients/{rosa}?mergeSearch=nobody-here")).One("#merge-search-none"));
        Assert.Contains("200", (await biz.Owner.PageAsync($"/staff/clients/{rosa}?mergeSearch={new string('a', 201)}")).One("#merge-search-error")!.TextContent, StringComparison.Ordinal);

        // A walk-in with only a landline: the hint shows it, so staff can tell the records apart.
        var landline = (await (await biz.Owner.PostAsJsonAsync(Api(""), new { firstName = "Rosa", lastName = "Delgado", otherPhone = "+61293744000" }))
            .JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();
        var hint = (await biz.Owner.PageAsync($"/staff/clients/{rosa}")).One($"#duplicate-{landline}")!.TextContent;
        Assert.Contains("phone (02) 9374 4000", hint, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_merge_page_says_only_what_the_kept_record_has_and_a_client_with_itself_is_said_as_such()
    {
        var biz = await App.SignUpBusinessAsync();
        var byEmail = await WalkInAsync(biz, "Joao", "Pereira", withMobile: false);
        var byMobile = await WalkInAsync(biz, "Joao", "Pereira");

        var page = await biz.Owner.PageAsync($"/staff/clients/{byEmail}/merge?with={byMobile}");
        Assert.Contains("keeps their own name, email and status", page.One("#merge-keeps-own")!.TextContent, StringComparison.Ordinal);
        Assert.NotNull(page.One("#merge-carries-mobile"));
        var other = await biz.Owner.PageAsync($"/staff/clients/{byMobile}/merge?with={byEmail}");
        Assert.Contains("keeps their own name, mobile and status", other.One("#merge-keeps-own")!.TextContent, StringComparison.Ordinal);

        var itself = await biz.Owner.PageAsync($"/staff/clients/{byEmail}/merge?with={byEmail}");
        Assert.Equal(HttpStatusCode.BadRequest, itself.Status);
        Assert.Contains("A client cannot be merged into itself.", itself.Document.Body!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_merge_giving_a_phone_client_an_email_sign_in_warns_on_the_page_and_texts_their_mobile_once()
    {
        var biz = await App.SignUpBusinessAsync();
        var mobile = MobileIn(biz.CountryCode);
        var phone = (await (await biz.Owner.PostAsJsonAsync(Api(""), new { firstName = "Kim", lastName = "Lee", mobile }))
            .JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();
        var email = $"kim-{Guid.NewGuid():N}@x.example";
        var away = (await (await App.NewClient().PostAsJsonAsync($"/api/v1/portal/auth/register?name={biz.Slug}",
            new { firstName = "Kim", lastName = "Lee", email, password = "kim's very own password 2026!" })).JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();
        await Sql.AdminExecAsync(App.Database.Database, "update portalauth.clients set email_confirmed_at = now() where id = @i", ("i", away));

        var page = await biz.Owner.PageAsync($"/staff/clients/{phone}/merge?with={away}");
        var warning = page.One("#merge-adds-sign-in")!.TextContent;
        Assert.Contains($"whoever knows {email} and its password signs in", warning, StringComparison.Ordinal);
        Assert.Contains("gets one text", warning, StringComparison.Ordinal);

        await (await biz.Owner.PostAsJsonAsync(Api($"/{phone}/merge"), new { mergeId = away.ToString() })).JsonAsync(HttpStatusCode.OK);
        var text = Assert.Single(await App.NewClient().TextsToAsync(mobile, 1));
        Assert.Contains("an email address and its password can now sign in", text, StringComparison.Ordinal);
        Assert.DoesNotContain(email, text, StringComparison.Ordinal);
    }
}
