using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Booking.IntegrationTests.Appointments;
using Booking.IntegrationTests.Infrastructure;
using Booking.IntegrationTests.PortalPages;
using Microsoft.AspNetCore.WebUtilities;
using static Booking.IntegrationTests.Appointments.SchedulingApi;

namespace Booking.IntegrationTests.PortalAuth;

/// <summary>
/// Decision 300, a security review of merge and client details: a password belongs to the email it was set with (staff
/// removing or replacing the email take it away and end the sessions; a merge never leaves the kept record's password
/// beside a carried email), a merged-away client's own writes during the merge answer 401, pet names fold as PostgreSQL
/// folds them, and an other phone is refused rather than stored short.
/// </summary>
public sealed class MergeSecurityTests(SharedApp shared) : IClassFixture<SharedApp>
{
    private BookingApp App => shared.App;

    private const string ImpostorPassword = "the impostor's own password 2026";

    private const string KimPassword = "kim's very own password 2026!";

    private static Uri Api(string rest) => new("/api/v1/admin/clients" + rest, UriKind.Relative);

    private static Uri Me(TestBusiness biz) => new($"/api/v1/portal/me?name={biz.Slug}", UriKind.Relative);

    private async Task<(HttpClient Http, Guid Id)> RegisterAsync(TestBusiness biz, string email, string password)
    {
        var http = App.NewClient();
        var json = await (await http.PostAsJsonAsync($"/api/v1/portal/auth/register?name={biz.Slug}",
            new { firstName = "Kim", lastName = "Lee", email, password })).JsonAsync(HttpStatusCode.Created);
        return (http, json.GetProperty("id").GetGuid());
    }

    /// <summary>The owner of <paramref name="email"/> proves it through "Forgot password": the reset link sets the password and confirms the email.</summary>
    private async Task ResetAsync(TestBusiness biz, string email, string password)
    {
        Assert.Equal(HttpStatusCode.Accepted, (await App.NewClient().PostAsJsonAsync($"/api/v1/portal/auth/forgot-password?name={biz.Slug}", new { email })).StatusCode);
        var link = new Uri((await App.ResetEventAsync(email)).GetProperty("resetUrl").GetString()!);
        var token = QueryHelpers.ParseQuery(link.Query)["token"].ToString();
        Assert.Equal(HttpStatusCode.NoContent,
            (await App.NewClient().PostAsJsonAsync($"/api/v1/portal/auth/reset-password?name={biz.Slug}", new { token, newPassword = password })).StatusCode);
    }

    private Task<HttpResponseMessage> SignInAsync(TestBusiness biz, string email, string password) =>
        App.NewClient().PostAsJsonAsync($"/api/v1/portal/auth/sign-in?name={biz.Slug}", new { email, password });

    [Fact]
    public async Task Staff_removing_an_impostors_email_take_its_password_and_sessions_so_a_merge_hands_the_real_owner_their_own_sign_in()
    {
        var biz = await App.SignUpBusinessAsync();
        var impostorEmail = $"kim.imp-{Guid.NewGuid():N}@x.example";
        var kimEmail = $"kim-{Guid.NewGuid():N}@x.example";
        var (impostor, r) = await RegisterAsync(biz, impostorEmail, ImpostorPassword);
        var (_, s) = await RegisterAsync(biz, kimEmail, "kim's first password 2026!");
        await ResetAsync(biz, kimEmail, KimPassword); // the real Kim proves her address
        Assert.Equal(HttpStatusCode.OK, (await impostor.GetAsync(Me(biz))).StatusCode);

        // Staff take the email off R (a landline instead): the password set with it goes, and R's sessions end.
        var changed = await (await biz.Owner.PutAsJsonAsync(Api($"/{r}"), new { firstName = "Kim", lastName = "Lee", email = (string?)null, mobile = (string?)null, otherPhone = "+61293744000" }))
            .JsonAsync(HttpStatusCode.OK);
        Assert.False(changed.GetProperty("hasPassword").GetBoolean());
        Assert.Null(await Sql.AdminScalarAsync<string>(App.Database.Database, "select password_hash from portalauth.clients where id = @i", ("i", r)));
        Assert.Equal(HttpStatusCode.Unauthorized, (await impostor.GetAsync(Me(biz))).StatusCode);

        // Kim's record merged into R: R signs in with Kim's email and Kim's password only.
        var merged = await (await biz.Owner.PostAsJsonAsync(Api($"/{r}/merge"), new { mergeId = s.ToString() })).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(kimEmail, merged.GetProperty("email").GetString());
        Assert.True(merged.GetProperty("hasPassword").GetBoolean());
        Assert.Equal(HttpStatusCode.Unauthorized, (await SignInAsync(biz, kimEmail, ImpostorPassword)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await SignInAsync(biz, kimEmail, KimPassword)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await impostor.GetAsync(Me(biz))).StatusCode);
    }

    [Fact]
    public async Task A_merge_carrying_an_email_never_keeps_the_kept_records_own_password_and_ends_its_sessions_and_the_page_says_so()
    {
        var biz = await App.SignUpBusinessAsync();
        var kimEmail = $"kim-{Guid.NewGuid():N}@x.example";
        var (impostor, r) = await RegisterAsync(biz, $"kim.imp-{Guid.NewGuid():N}@x.example", ImpostorPassword);
        var (_, s) = await RegisterAsync(biz, kimEmail, "kim's first password 2026!");
        await ResetAsync(biz, kimEmail, KimPassword);
        // A record as an older staff edit left it: the email gone, the password set with it still there, a session open.
        await Sql.AdminExecAsync(App.Database.Database, "update portalauth.clients set email = null, email_confirmed_at = null, other_phone = '+61293744000' where id = @i", ("i", r));
        Assert.Equal(HttpStatusCode.OK, (await impostor.GetAsync(Me(biz))).StatusCode);

        var preview = await biz.Owner.PageAsync($"/staff/clients/{r}/merge?with={s}");
        Assert.Contains("password is removed", preview.One("#merge-carries-email")!.TextContent, StringComparison.Ordinal);
        Assert.NotNull(preview.One("#merge-ends-kept-sessions"));

        await (await biz.Owner.PostAsJsonAsync(Api($"/{r}/merge"), new { mergeId = s.ToString() })).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(HttpStatusCode.Unauthorized, (await SignInAsync(biz, kimEmail, ImpostorPassword)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await SignInAsync(biz, kimEmail, KimPassword)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await impostor.GetAsync(Me(biz))).StatusCode);
    }

    [Fact]
    public async Task Keeping_a_record_whose_email_nobody_confirmed_but_has_a_password_is_warned_on_the_merge_page()
    {
        var biz = await App.SignUpBusinessAsync();
        var email = $"kim.imp-{Guid.NewGuid():N}@x.example";
        var (_, r) = await RegisterAsync(biz, email, ImpostorPassword);
        var walkIn = (await (await biz.Owner.PostAsJsonAsync(Api(""), new { firstName = "Kim", lastName = "Lee", mobile = MobileIn(biz.CountryCode) }))
            .JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();

        var page = await biz.Owner.PageAsync($"/staff/clients/{r}/merge?with={walkIn}");
        var warning = page.One("#merge-unproven-kept-email")!.TextContent;
        Assert.Contains(email, warning, StringComparison.Ordinal);
        Assert.Contains("can sign in with their mobile", warning, StringComparison.Ordinal);
        // The other way round (the walk-in kept) there is nothing to warn of.
        Assert.Null((await biz.Owner.PageAsync($"/staff/clients/{walkIn}/merge?with={r}")).One("#merge-unproven-kept-email"));
    }

    [Fact]
    public async Task The_merged_away_clients_own_writes_during_the_merge_answer_401_not_500()
    {
        var biz = await App.SignUpBusinessAsync();
        var walkIn = (await (await biz.Owner.PostAsJsonAsync(Api(""), new { firstName = "Kim", lastName = "Lee", mobile = MobileIn(biz.CountryCode) }))
            .JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();
        var (kim, away) = await RegisterAsync(biz, $"kim-{Guid.NewGuid():N}@x.example", KimPassword);

        await using var held = await HeldTransaction.BeginAsync(App.Database.Database);
        await held.ExecAsync("SELECT pg_advisory_xact_lock(hashtextextended(@k, 0))", ("k", $"portal-bookings:{away:D}"));
        var merge = biz.Owner.PostAsJsonAsync(Api($"/{walkIn}/merge"), new { mergeId = away.ToString() });
        await held.WaitForBlockedAsync(1); // the merge, its PortalAuth writes done and uncommitted, waits in Appointments
        var name = kim.PutAsJsonAsync($"/api/v1/portal/me/name?name={biz.Slug}", new { firstName = "Kimberly", lastName = "Lee" });
        var password = kim.PostAsJsonAsync($"/api/v1/portal/auth/change-password?name={biz.Slug}", new { currentPassword = KimPassword, newPassword = "another long password 2026!" });
        await held.WaitForWaitingAsync(2, "UPDATE portalauth.clients");
        await held.CommitAsync();

        Assert.Equal(HttpStatusCode.OK, (await merge).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await name).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await password).StatusCode);
        Assert.Equal("Kim", await Sql.AdminScalarAsync<string>(App.Database.Database, "select first_name from portalauth.clients where id = @i", ("i", walkIn)));
    }

    [Fact]
    public async Task Pet_names_folding_alike_in_postgresql_but_not_in_dotnet_move_as_removed_and_the_preview_says_so()
    {
        var biz = await App.SignUpBusinessAsync();
        await biz.SettingsAsync(st => st["booksForPets"] = true);
        var keep = (await (await biz.Owner.PostAsJsonAsync(Api(""), new { firstName = "Iz", lastName = "Owner", mobile = MobileIn(biz.CountryCode) }))
            .JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();
        var away = (await (await biz.Owner.PostAsJsonAsync(Api(""), new { firstName = "Iz", lastName = "Owner", email = $"iz-{Guid.NewGuid():N}@x.example" }))
            .JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();
        await (await biz.Owner.PostAsJsonAsync(Api($"/{keep}/pets"), new { name = "izzy", species = "dog" })).JsonAsync(HttpStatusCode.Created);
        var izzy = (await (await biz.Owner.PostAsJsonAsync(Api($"/{away}/pets"), new { name = "İzzy", species = "dog" })).JsonAsync(HttpStatusCode.Created))
            .GetProperty("id").GetGuid();
        Assert.Equal("izzy", await Sql.AdminScalarAsync<string>(App.Database.Database, "select lower('İzzy')")); // the database's folding

        // The plain add path agrees with the index: the kept client may not add "İzzy" beside "izzy".
        var again = await biz.Owner.PostAsJsonAsync(Api($"/{keep}/pets"), new { name = "İzzy", species = "dog" });
        Assert.Equal(HttpStatusCode.BadRequest, again.StatusCode);

        var page = await biz.Owner.PageAsync($"/staff/clients/{keep}/merge?with={away}");
        // Same name as PostgreSQL folds it: offered for combining (decision 306), which this API merge below does not ask for.
        Assert.Contains("İzzy", page.One("#merge-pets-combine")!.TextContent, StringComparison.Ordinal);
        var merged = await (await biz.Owner.PostAsJsonAsync(Api($"/{keep}/merge"), new { mergeId = away.ToString() })).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(izzy, Assert.Single(merged.GetProperty("removedPets").EnumerateArray()).GetProperty("id").GetGuid());
    }

    [Fact]
    public async Task An_other_phone_with_an_extension_or_letters_is_refused_and_duplicates_match_other_phones()
    {
        var biz = await App.SignUpBusinessAsync();
        async Task<string> RefusedAsync(string otherPhone)
        {
            var problem = await (await biz.Owner.PostAsJsonAsync(Api(""), new { firstName = "Lan", lastName = "Line", otherPhone })).JsonAsync(HttpStatusCode.BadRequest);
            var error = Assert.Single(problem.GetProperty("errors").EnumerateObject());
            Assert.Equal("otherPhone", error.Name);
            return error.Value[0].GetString()!;
        }

        Assert.StartsWith("Give the number without an extension", await RefusedAsync("+61 2 9374 4000 ext. 123"), StringComparison.Ordinal);
        Assert.StartsWith("Give the number in digits", await RefusedAsync("1300 FLOWER"), StringComparison.Ordinal);
        Assert.Equal("Enter a valid phone number.", await RefusedAsync("12"));
        Assert.Equal(0, await Sql.AdminScalarAsync<long>(App.Database.Database, "select count(*) from portalauth.clients where first_name = 'Lan' and tenant_id = @t", ("t", biz.Id)));

        // The same landline on two records, and a mobile given as another's other phone: hinted, as "phone".
        async Task<Guid> AddAsync(string first, string? mobile, string? otherPhone) =>
            (await (await biz.Owner.PostAsJsonAsync(Api(""), new { firstName = first, lastName = "Other", mobile, otherPhone })).JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();
        var a = await AddAsync("Ada", null, "+61293744000");
        var b = await AddAsync("Bea", null, "(02) 9374 4000");
        var mobile = MobileIn(biz.CountryCode);
        var c = await AddAsync("Cal", mobile, null);
        var d = await AddAsync("Dee", null, mobile);
        async Task<string> HintAsync(Guid id)
        {
            var item = Assert.Single((await (await biz.Owner.GetAsync(Api($"/{id}/duplicates"))).JsonAsync(HttpStatusCode.OK)).GetProperty("items").EnumerateArray());
            return $"{item.GetProperty("id").GetGuid()} {string.Join(",", item.GetProperty("why").EnumerateArray().Select(w => w.GetString()))}";
        }

        Assert.Equal($"{b} phone", await HintAsync(a));
        Assert.Equal($"{d} phone", await HintAsync(c));
        Assert.Equal($"{c} phone", await HintAsync(d));
    }
}
