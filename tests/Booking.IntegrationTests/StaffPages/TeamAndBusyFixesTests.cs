using System.Net;
using System.Net.Http.Json;
using Booking.IntegrationTests.Infrastructure;
using Booking.IntegrationTests.PortalPages;
using Booking.IntegrationTests.Setup;

namespace Booking.IntegrationTests.StaffPages;

/// <summary>
/// Setup → Team offers an admin only what an admin may do, and removing someone asks first; the removed person's next
/// page goes to their business's sign-in page, which says why. Busy time may run until 00:00 (the end of the day), and
/// its form says every error at once.
/// </summary>
public sealed class TeamAndBusyFixesTests(SharedApp shared) : IClassFixture<SharedApp>
{
    private const string Password = "a team member's password 2026";

    private BookingApp App => shared.App;

    private static async Task<Guid> AddAsync(TestBusiness biz, string name, string email, string role) =>
        (await (await biz.Owner.PostAsJsonAsync("/api/v1/admin/staff",
            new { name, email, password = Password, role, diaryIds = Array.Empty<Guid>() })).JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();

    private async Task<HttpClient> SignInAsync(TestBusiness biz, string email)
    {
        var client = App.NewClient();
        await (await client.PostAsJsonAsync($"/api/v1/staff/auth/sign-in?name={biz.Slug}", new { email, password = Password })).JsonAsync(HttpStatusCode.OK);
        return client;
    }

    private static async Task<Guid> OwnerIdAsync(TestBusiness biz) =>
        (await (await biz.Owner.GetAsync(new Uri("/api/v1/admin/staff", UriKind.Relative))).JsonAsync(HttpStatusCode.OK))
            .GetProperty("items").EnumerateArray().First(m => m.GetProperty("role").GetString() == "owner").GetProperty("id").GetGuid();

    [Fact]
    public async Task An_admin_is_offered_no_owner_only_action_on_an_owners_row_and_no_owner_role()
    {
        var biz = await App.SignUpBusinessAsync("team-admin");
        var adminEmail = $"ada@{biz.Slug}.example";
        var patEmail = $"pat@{biz.Slug}.example";
        var adminId = await AddAsync(biz, "Ada Admin", adminEmail, "admin");
        var pat = await AddAsync(biz, "Pat Practitioner", patEmail, "practitioner");
        var admin = await SignInAsync(biz, adminEmail);

        var page = await admin.PageAsync("/staff/setup/team");
        Assert.Equal(HttpStatusCode.OK, page.Status);
        var ownerRow = page.All("tbody tr").Single(r => r.TextContent.Contains(biz.OwnerEmail, StringComparison.Ordinal));
        Assert.Empty(ownerRow.QuerySelectorAll("td.actions a, td.actions button"));
        var patRow = page.All("tbody tr").Single(r => r.TextContent.Contains(patEmail, StringComparison.Ordinal));
        Assert.NotNull(patRow.QuerySelector($"a[aria-label='Edit Pat Practitioner ({patEmail})']"));
        Assert.NotNull(patRow.QuerySelector($"a[aria-label='Remove Pat Practitioner ({patEmail})…']"));

        // Editing someone else: no "owner" among the roles an admin may give.
        var editing = await admin.PageAsync($"/staff/setup/team?edit={pat}");
        Assert.Equal(new[] { "admin", "practitioner" }, editing.All("select[name='Input.Role'] option").Select(o => o.GetAttribute("value") ?? "").ToArray());

        // The owner's edit and remove steps, typed in, say why instead of a form that then fails.
        var owner = await OwnerIdAsync(biz);
        foreach (var url in new[] { $"/staff/setup/team?edit={owner}", $"/staff/setup/team?remove={owner}" })
        {
            var refused = await admin.PageAsync(url);
            Assert.Equal(HttpStatusCode.Forbidden, refused.Status);
            Assert.Contains("Only an owner can change or remove owners.", refused.Text, StringComparison.Ordinal);
            Assert.Null(refused.One("#remove-confirm"));
        }

        // Their own remove step, typed in, says nobody removes themselves instead of a button the removal then refuses.
        var self = await admin.PageAsync($"/staff/setup/team?remove={adminId}");
        Assert.Equal(HttpStatusCode.Forbidden, self.Status);
        Assert.Contains("ask another owner or admin to remove you", self.Text, StringComparison.Ordinal);
        Assert.Null(self.One("#remove-confirm"));

        // The owner still has them all.
        var ownersPage = await biz.Owner.PageAsync($"/staff/setup/team?edit={pat}");
        Assert.Contains("owner", ownersPage.All("select[name='Input.Role'] option").Select(o => o.GetAttribute("value")));
    }

    [Fact]
    public async Task Remove_asks_first_and_the_removed_member_is_sent_to_their_business_sign_in_told_why()
    {
        var biz = await App.SignUpBusinessAsync("team-remove");
        var email = $"rita@{biz.Slug}.example";
        var id = await AddAsync(biz, "Rita Removed", email, "practitioner");
        var rita = await SignInAsync(biz, email);
        Assert.Equal(HttpStatusCode.OK, (await rita.PageAsync("/staff/diary")).Status);

        var team = await biz.Owner.PageAsync("/staff/setup/team");
        var link = team.One($"a[aria-label='Remove Rita Removed ({email})…']");
        Assert.Equal($"/staff/setup/team?remove={id}", link?.GetAttribute("href"));
        Assert.Null(team.One($"td.actions form[action*='handler=Remove']"));

        var confirm = await biz.Owner.PageAsync($"/staff/setup/team?remove={id}");
        Assert.Equal($"Remove Rita Removed ({email})?", confirm.One("#remove-confirm h2")?.TextContent);

        // A post without the confirmation (an old page's one-click button) is taken to the step; nobody is removed.
        var unconfirmed = await biz.Owner.SubmitAsync(confirm, new Dictionary<string, string> { ["confirmed"] = "" }, "#remove-confirm form");
        Assert.Equal(HttpStatusCode.Redirect, unconfirmed.Status);
        Assert.Equal($"/staff/setup/team?remove={id}", unconfirmed.Response.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.OK, (await rita.PageAsync("/staff/diary")).Status);

        var removed = await biz.Owner.SubmitAsync(confirm, new Dictionary<string, string>(), "#remove-confirm form");
        Assert.Equal("/staff/setup/team?saved=removed", removed.Response.Headers.Location!.OriginalString);

        var next = await rita.PageAsync("/staff/diary");
        Assert.Equal(HttpStatusCode.Redirect, next.Status);
        var signIn = next.Response.Headers.Location!.OriginalString;
        Assert.Equal($"/staff/sign-in?name={biz.Slug}&ended=1&returnUrl=%2Fstaff%2Fdiary", signIn);
        var told = await rita.PageAsync(signIn);
        Assert.Contains("You were signed out: your session ran out, or your access to this business changed.", told.Text, StringComparison.Ordinal);
        Assert.Contains($"Business {biz.Slug}", told.One("h1")?.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Busy_time_until_00_00_ends_at_the_next_local_midnight_also_where_the_clocks_skip_it()
    {
        // Chile's clocks go from Saturday 4 September 2027 24:00 to Sunday 01:00: Sunday's first instant is 01:00 -03.
        var biz = await App.SignUpBusinessAsync("busy-midnight", "America/Santiago", "CL");
        var diary = await biz.CreateDiaryAsync();
        var added = await Booking.IntegrationTests.Appointments.StaffDiaryTests.PostPageAsync(biz.Owner, "/staff/diary/busy", new Dictionary<string, string>
        {
            ["Input.DiaryId"] = diary.ToString(), ["Input.Date"] = "2027-09-04", ["Input.Start"] = "16:00", ["Input.End"] = "00:00",
        });
        Assert.Equal(HttpStatusCode.Redirect, added.StatusCode);

        var day = await (await biz.Owner.GetAsync(new Uri("/api/v1/admin/diary?from=2027-09-04&to=2027-09-05", UriKind.Relative))).JsonAsync(HttpStatusCode.OK);
        var block = Assert.Single(day.GetProperty("busyBlocks").EnumerateArray());
        Assert.Equal(DateTimeOffset.Parse("2027-09-04T20:00:00Z"), block.GetProperty("start").GetDateTimeOffset());
        Assert.Equal(DateTimeOffset.Parse("2027-09-05T04:00:00Z"), block.GetProperty("end").GetDateTimeOffset());
    }

    [Fact]
    public async Task The_busy_form_says_a_missing_diary_together_with_the_time_errors()
    {
        var biz = await App.SignUpBusinessAsync("busy-errors");
        await biz.CreateDiaryAsync();
        var response = await Booking.IntegrationTests.Appointments.StaffDiaryTests.PostPageAsync(biz.Owner, "/staff/diary/busy", new Dictionary<string, string>
        {
            ["Input.DiaryId"] = "", ["Input.Date"] = DateTime.UtcNow.AddDays(3).ToString("yyyy-MM-dd"), ["Input.Start"] = "14:00", ["Input.End"] = "",
        });
        var page = await PortalHtml.ReadAsync(response);
        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Equal("Choose a diary.", page.One("#diary-error")?.TextContent);
        Assert.Equal("Choose the end time (HH:mm).", page.One("#end-error")?.TextContent);
    }

    [Fact]
    public async Task New_appointment_in_a_business_without_clients_says_there_are_none_yet_not_that_none_matches()
    {
        // Review #20 (session 28): before any search, an empty business read "No client matches.", as if a search had failed.
        var biz = await App.SignUpBusinessAsync("no-clients");
        var empty = await biz.Owner.PageAsync("/staff/diary/book");
        Assert.Equal(HttpStatusCode.OK, empty.Status);
        Assert.Contains("No clients yet", empty.One("#no-clients-yet")!.TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain("No client matches", empty.Html, StringComparison.Ordinal);

        var searched = await biz.Owner.PageAsync("/staff/diary/book?search=zz");
        Assert.Null(searched.One("#no-clients-yet"));
        Assert.Equal("No client matches “zz”.", searched.One("#client-results")?.TextContent.Trim()); // the line a search focuses (decision 346)
    }
}
