using System.Net;
using System.Net.Http.Json;
using Booking.IntegrationTests.Infrastructure;

namespace Booking.IntegrationTests.Setup;

public sealed class StaffApiTests(SharedApp shared) : IClassFixture<SharedApp>
{
    private const string Password = "a team member's password 2026";

    private static object Body(string email, string role = "practitioner", Guid[]? diaryIds = null, string name = "Terry Team") =>
        new { name, email, password = Password, role, diaryIds = diaryIds ?? [] };

    private async Task<HttpClient> SignInAsync(TestBusiness biz, string email)
    {
        var client = shared.App.NewClient();
        await (await client.PostAsJsonAsync($"/api/v1/staff/auth/sign-in?name={biz.Slug}", new { email, password = Password })).JsonAsync(HttpStatusCode.OK);
        return client;
    }

    [Fact]
    public async Task Owner_adds_changes_lists_and_removes_a_team_member_with_diaries()
    {
        var biz = await shared.App.SignUpBusinessAsync();
        var diary = await biz.CreateDiaryAsync();
        var email = $"Terry@{biz.Slug}.example";

        var created = await (await biz.Owner.PostAsJsonAsync("/api/v1/admin/staff", Body(email, diaryIds: [diary]))).JsonAsync(HttpStatusCode.Created);
        var id = created.GetProperty("id").GetGuid();
        Assert.Equal(email.ToLowerInvariant(), created.GetProperty("email").GetString());
        Assert.Equal("practitioner", created.GetProperty("role").GetString());
        Assert.Equal(diary, created.GetProperty("diaryIds")[0].GetGuid());
        Assert.False(created.TryGetProperty("password", out _));
        Assert.False(created.TryGetProperty("passwordHash", out _));

        // The new person can sign in with the password the owner chose, and sees only the diary side.
        var terry = await SignInAsync(biz, email);
        var refused = await (await terry.GetAsync(new Uri("/api/v1/admin/staff", UriKind.Relative))).JsonAsync(HttpStatusCode.Forbidden);
        Assert.Equal("forbidden", refused.Kind());

        var updated = await (await biz.Owner.PutAsJsonAsync($"/api/v1/admin/staff/{id}", new { name = "Terry T", email, role = "admin", diaryIds = Array.Empty<Guid>() }))
            .JsonAsync(HttpStatusCode.OK);
        Assert.Equal("admin", updated.GetProperty("role").GetString());
        Assert.Equal(0, updated.GetProperty("diaryIds").GetArrayLength());

        // The role travels in the session: changing it ends Terry's sessions, so the old role cannot linger.
        var ended = await (await terry.GetAsync(new Uri("/api/v1/staff/me", UriKind.Relative))).JsonAsync(HttpStatusCode.Unauthorized);
        Assert.Equal("unauthenticated", ended.Kind());

        var list = await (await biz.Owner.GetAsync(new Uri("/api/v1/admin/staff", UriKind.Relative))).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(2, list.GetProperty("items").GetArrayLength());
        var one = await (await biz.Owner.GetAsync(new Uri($"/api/v1/admin/staff/{id}", UriKind.Relative))).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("Terry T", one.GetProperty("name").GetString());

        var terryAgain = await SignInAsync(biz, email);
        await (await biz.Owner.DeleteAsync(new Uri($"/api/v1/admin/staff/{id}", UriKind.Relative))).JsonAsync(HttpStatusCode.NoContent);
        await (await biz.Owner.GetAsync(new Uri($"/api/v1/admin/staff/{id}", UriKind.Relative))).JsonAsync(HttpStatusCode.NotFound);
        // A removed person's session ends with them.
        await (await terryAgain.GetAsync(new Uri("/api/v1/staff/me", UriKind.Relative))).JsonAsync(HttpStatusCode.Unauthorized);
    }

    /// <summary>
    /// Security review s33 #4: a role change and a removal end the person's sessions inside their own transaction, so
    /// the one cannot be kept without the other. A failure injected into the sessions' delete (a trigger on this person's
    /// rows only) rolls the change back too: ended after the commit, the admin was demoted or removed and kept signed in.
    /// </summary>
    [Fact]
    public async Task A_role_change_or_removal_and_the_end_of_the_persons_sessions_commit_together_or_not_at_all()
    {
        var biz = await shared.App.SignUpBusinessAsync();
        var email = $"ada@{biz.Slug}.example";
        var created = await (await biz.Owner.PostAsJsonAsync("/api/v1/admin/staff", Body(email, role: "admin", name: "Ada Admin"))).JsonAsync(HttpStatusCode.Created);
        var id = created.GetProperty("id").GetGuid();
        var ada = await SignInAsync(biz, email);
        var database = shared.App.Database.Database;
        var function = $"refuse_session_end_{id:N}";
        await Sql.AdminExecAsync(database, $"""
            CREATE FUNCTION platform.{function}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'injected'; END $$;
            CREATE TRIGGER {function} BEFORE DELETE ON platform.auth_sessions FOR EACH ROW
                WHEN (OLD.subject_id = '{id}') EXECUTE FUNCTION platform.{function}();
            """);
        try
        {
            var demoted = await biz.Owner.PutAsJsonAsync($"/api/v1/admin/staff/{id}", new { name = "Ada Admin", email, role = "practitioner", diaryIds = Array.Empty<Guid>() });
            Assert.Equal(HttpStatusCode.InternalServerError, demoted.StatusCode);
            var removed = await biz.Owner.DeleteAsync(new Uri($"/api/v1/admin/staff/{id}", UriKind.Relative));
            Assert.Equal(HttpStatusCode.InternalServerError, removed.StatusCode);

            Assert.Equal("admin", await Sql.AdminScalarAsync<string>(database, "select role from tenancy.staff_members where id = @id", ("id", id)));
            await (await ada.GetAsync(new Uri("/api/v1/admin/staff", UriKind.Relative))).JsonAsync(HttpStatusCode.OK);
        }
        finally
        {
            await Sql.AdminExecAsync(database, $"DROP TRIGGER {function} ON platform.auth_sessions; DROP FUNCTION platform.{function}();");
        }

        // Without the failure: demoted, and the session refused at once; removed, the same.
        await (await biz.Owner.PutAsJsonAsync($"/api/v1/admin/staff/{id}", new { name = "Ada Admin", email, role = "practitioner", diaryIds = Array.Empty<Guid>() }))
            .JsonAsync(HttpStatusCode.OK);
        await (await ada.GetAsync(new Uri("/api/v1/staff/me", UriKind.Relative))).JsonAsync(HttpStatusCode.Unauthorized);
        var again = await SignInAsync(biz, email);
        await (await biz.Owner.DeleteAsync(new Uri($"/api/v1/admin/staff/{id}", UriKind.Relative))).JsonAsync(HttpStatusCode.NoContent);
        await (await again.GetAsync(new Uri("/api/v1/staff/me", UriKind.Relative))).JsonAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_password_in_a_change_is_refused_naming_it_and_nothing_changes()
    {
        var biz = await shared.App.SignUpBusinessAsync();
        var email = $"pat@{biz.Slug}.example";
        var id = (await (await biz.Owner.PostAsJsonAsync("/api/v1/admin/staff", Body(email))).JsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();

        var refused = await (await biz.Owner.PutAsJsonAsync($"/api/v1/admin/staff/{id}",
            new { name = "Pat Renamed", email, password = "a brand new password set by the owner", role = "practitioner", diaryIds = Array.Empty<Guid>() }))
            .JsonAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["password"], refused.ErrorFields());

        // Nothing of the change was saved, and the password is the one Pat chose.
        var pat = await (await biz.Owner.GetAsync(new Uri($"/api/v1/admin/staff/{id}", UriKind.Relative))).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("Terry Team", pat.GetProperty("name").GetString());
        await SignInAsync(biz, email);
    }

    [Fact]
    public async Task Bad_fields_a_duplicate_email_and_unknown_diaries_are_validation_problems()
    {
        var biz = await shared.App.SignUpBusinessAsync();
        var other = await shared.App.SignUpBusinessAsync();
        var othersDiary = await other.CreateDiaryAsync();

        var bad = await (await biz.Owner.PostAsJsonAsync("/api/v1/admin/staff", new { name = "", email = "nope", password = "short", role = "boss" }))
            .JsonAsync(HttpStatusCode.BadRequest);
        Assert.Equal("validation", bad.Kind());
        foreach (var field in new[] { "name", "email", "password", "role", "diaryIds" })
        {
            Assert.Contains(field, bad.ErrorFields());
        }

        var duplicate = await (await biz.Owner.PostAsJsonAsync("/api/v1/admin/staff", Body(biz.OwnerEmail.ToUpperInvariant(), "admin")))
            .JsonAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["email"], duplicate.ErrorFields());

        var foreignDiary = await (await biz.Owner.PostAsJsonAsync("/api/v1/admin/staff", Body($"x@{biz.Slug}.example", diaryIds: [othersDiary])))
            .JsonAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["diaryIds"], foreignDiary.ErrorFields());
    }

    [Fact]
    public async Task The_last_owner_can_be_neither_demoted_nor_removed_but_a_second_owner_can()
    {
        var biz = await shared.App.SignUpBusinessAsync();
        var list = await (await biz.Owner.GetAsync(new Uri("/api/v1/admin/staff", UriKind.Relative))).JsonAsync(HttpStatusCode.OK);
        var ownerId = list.GetProperty("items")[0].GetProperty("id").GetGuid();

        var demote = await (await biz.Owner.PutAsJsonAsync($"/api/v1/admin/staff/{ownerId}", new { name = "Olive", email = biz.OwnerEmail, role = "admin", diaryIds = Array.Empty<Guid>() }))
            .JsonAsync(HttpStatusCode.Conflict);
        Assert.Equal("last-owner", demote.Kind());

        // An admin may not remove the owner at all; the owner may not remove themselves.
        var adminEmail = $"ada@{biz.Slug}.example";
        await (await biz.Owner.PostAsJsonAsync("/api/v1/admin/staff", Body(adminEmail, "admin"))).JsonAsync(HttpStatusCode.Created);
        var admin = await SignInAsync(biz, adminEmail);
        Assert.Equal("forbidden", (await (await admin.DeleteAsync(new Uri($"/api/v1/admin/staff/{ownerId}", UriKind.Relative))).JsonAsync(HttpStatusCode.Forbidden)).Kind());
        var self = await (await biz.Owner.DeleteAsync(new Uri($"/api/v1/admin/staff/{ownerId}", UriKind.Relative))).JsonAsync(HttpStatusCode.Conflict);
        Assert.Equal("last-owner", self.Kind());

        // With a second owner, the first may step down (and is signed out: the role changed).
        var second = await (await biz.Owner.PostAsJsonAsync("/api/v1/admin/staff",
            new { name = "Terry Team", email = $"sam@{biz.Slug}.example", password = Password, role = "owner", diaryIds = Array.Empty<Guid>(), currentPassword = TestBusiness.OwnerPassword }))
            .JsonAsync(HttpStatusCode.Created);
        await (await biz.Owner.PutAsJsonAsync($"/api/v1/admin/staff/{ownerId}", new { name = "Olive", email = biz.OwnerEmail, role = "admin", diaryIds = Array.Empty<Guid>() }))
            .JsonAsync(HttpStatusCode.OK);
        var sam = await SignInAsync(biz, $"sam@{biz.Slug}.example");
        var last = await (await sam.DeleteAsync(new Uri($"/api/v1/admin/staff/{second.GetProperty("id").GetGuid()}", UriKind.Relative))).JsonAsync(HttpStatusCode.Conflict);
        Assert.Equal("last-owner", last.Kind());
        var owners = await Sql.AdminScalarAsync<long>(shared.App.Database.Database,
            $"select count(*) from tenancy.staff_members where tenant_id = '{biz.Id}' and role = 'owner'");
        Assert.Equal(1, owners);
    }

    [Fact]
    public async Task An_admin_cannot_create_or_promote_owners_and_a_practitioner_cannot_touch_staff()
    {
        var biz = await shared.App.SignUpBusinessAsync();
        var adminEmail = $"ada@{biz.Slug}.example";
        await (await biz.Owner.PostAsJsonAsync("/api/v1/admin/staff", Body(adminEmail, "admin"))).JsonAsync(HttpStatusCode.Created);
        var admin = await SignInAsync(biz, adminEmail);

        var ownerByAdmin = await (await admin.PostAsJsonAsync("/api/v1/admin/staff", Body($"o2@{biz.Slug}.example", "owner"))).JsonAsync(HttpStatusCode.Forbidden);
        Assert.Equal("forbidden", ownerByAdmin.Kind());
        var pat = await (await admin.PostAsJsonAsync("/api/v1/admin/staff", Body($"pat@{biz.Slug}.example"))).JsonAsync(HttpStatusCode.Created);
        var promote = await (await admin.PutAsJsonAsync($"/api/v1/admin/staff/{pat.GetProperty("id").GetGuid()}",
            new { name = "Pat", email = $"pat@{biz.Slug}.example", role = "owner", diaryIds = Array.Empty<Guid>() })).JsonAsync(HttpStatusCode.Forbidden);
        Assert.Equal("forbidden", promote.Kind());

        var practitioner = await shared.App.SignInPractitionerAsync(biz);
        foreach (var (method, path, body) in new (string, string, object?)[]
                 {
                     ("GET", "/api/v1/admin/staff", null),
                     ("POST", "/api/v1/admin/staff", Body($"x@{biz.Slug}.example")),
                     ("GET", $"/api/v1/admin/staff/{pat.GetProperty("id").GetGuid()}", null),
                     ("DELETE", $"/api/v1/admin/staff/{pat.GetProperty("id").GetGuid()}", null),
                 })
        {
            using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = body is null ? null : JsonContent.Create(body) };
            Assert.Equal("forbidden", (await (await practitioner.SendAsync(request)).JsonAsync(HttpStatusCode.Forbidden)).Kind());
        }
    }

    [Fact]
    public async Task Another_businesss_staff_member_is_not_found_and_a_mismatched_name_is_refused()
    {
        var biz = await shared.App.SignUpBusinessAsync();
        var other = await shared.App.SignUpBusinessAsync();
        var theirs = await (await other.Owner.PostAsJsonAsync("/api/v1/admin/staff", Body($"t@{other.Slug}.example"))).JsonAsync(HttpStatusCode.Created);
        var theirId = theirs.GetProperty("id").GetGuid();

        foreach (var (method, body) in new (string, object?)[] { ("GET", null), ("PUT", new { name = "X", email = $"t@{other.Slug}.example", role = "admin", diaryIds = Array.Empty<Guid>() }), ("DELETE", null) })
        {
            using var request = new HttpRequestMessage(new HttpMethod(method), $"/api/v1/admin/staff/{theirId}") { Content = body is null ? null : JsonContent.Create(body) };
            Assert.Equal("not-found", (await (await biz.Owner.SendAsync(request)).JsonAsync(HttpStatusCode.NotFound)).Kind());
        }

        await (await biz.Owner.GetAsync(new Uri("/api/v1/admin/staff/not-a-guid", UriKind.Relative))).JsonAsync(HttpStatusCode.NotFound);
        var mismatch = await (await biz.Owner.GetAsync(new Uri($"/api/v1/admin/staff?name={other.Slug}", UriKind.Relative))).JsonAsync(HttpStatusCode.Forbidden);
        Assert.Equal("tenant-mismatch", mismatch.Kind());
        var list = await (await biz.Owner.GetAsync(new Uri("/api/v1/admin/staff", UriKind.Relative))).JsonAsync(HttpStatusCode.OK);
        Assert.DoesNotContain(list.GetProperty("items").EnumerateArray(), s => s.GetProperty("id").GetGuid() == theirId);
        // Untouched.
        var still = await (await other.Owner.GetAsync(new Uri($"/api/v1/admin/staff/{theirId}", UriKind.Relative))).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("practitioner", still.GetProperty("role").GetString());
    }
}
