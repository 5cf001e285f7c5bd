using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Booking.IntegrationTests.Infrastructure;
using Booking.IntegrationTests.PortalPages;
using Booking.PortalAuth.Domain;

namespace Booking.IntegrationTests.PortalAuth;

/// <summary>
/// Staff add a client (POST /api/v1/admin/clients) and change one (PUT /api/v1/admin/clients/{id}): names, an email or a
/// mobile, each unique in the business as registration has them; a mobile staff enter is on file for phone sign-in.
/// </summary>
public sealed class StaffClientDetailsTests(PortalAuthApp fixture) : IClassFixture<PortalAuthApp>
{
    private BookingApp App => fixture.App;

    private static Uri Clients(string rest = "") => new("/api/v1/admin/clients" + rest, UriKind.Relative);

    private static async Task<List<string>> FieldsAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.JsonAsync();
        Assert.Equal("validation", problem.GetProperty("type").GetString()!.Split('/')[^1]);
        return problem.GetProperty("errors").EnumerateObject().Select(e => e.Name).Order().ToList();
    }

    private Task<long> ClientCountAsync(TestBusiness biz) =>
        Sql.AdminScalarAsync<long>(App.Database.Database, "select count(*) from portalauth.clients where tenant_id = @t", ("t", biz.Id));

    private Task<bool> VerifiedAsync(string id) =>
        Sql.AdminScalarAsync<bool>(App.Database.Database, "select mobile_verified from portalauth.clients where id = @i", ("i", Guid.Parse(id)));

    [Fact]
    public async Task A_client_staff_add_is_active_has_no_password_answers_as_get_does_and_signs_in_by_phone_with_the_mobile_on_file()
    {
        var biz = await App.SignUpBusinessAsync();
        PortalAuthApp.Rules[biz.Id] = PortalRules.Default with { NewClientsNeedApproval = true }; // staff-added clients are not waiting for approval
        var mobile = PortalAuthHelpers.NewMobile();

        var created = await biz.Owner.PostAsJsonAsync(Clients(), new { firstName = " Walk ", lastName = "In", email = (string?)null, mobile = "0" + mobile[3..] });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var body = await created.Content.ReadAsStringAsync();
        var client = JsonDocument.Parse(body).RootElement;
        var id = client.GetProperty("id").GetString()!;
        Assert.Equal($"/api/v1/admin/clients/{id}", created.Headers.Location!.OriginalString);
        Assert.Equal("Walk In", client.GetProperty("name").GetString());
        Assert.Equal(mobile, client.GetProperty("mobile").GetString()); // E.164 with the business's country
        Assert.Equal("active", client.GetProperty("status").GetString());
        var read = await biz.Owner.GetAsync(created.Headers.Location);
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Equal(body, await read.Content.ReadAsStringAsync());
        Assert.Null(await Sql.AdminScalarAsync<string>(App.Database.Database, "select password_hash from portalauth.clients where id = @i", ("i", Guid.Parse(id))));

        // The mobile is on file: phone sign-in goes straight into this client's account, not the new-client flow.
        var phone = fixture.NewClient();
        var started = await (await phone.StartAsync(biz.Slug, mobile)).JsonAsync();
        var verified = await phone.VerifyAsync(biz.Slug, started.GetProperty("attemptId").GetString()!, await phone.CodeSentToAsync(mobile));
        Assert.Equal("signed-in", (await verified.JsonAsync()).GetProperty("outcome").GetString());
        Assert.Equal(id, (await (await phone.MeAsync(biz.Slug)).JsonAsync()).GetProperty("id").GetString());
    }

    [Fact]
    public async Task Adding_refuses_bad_fields_and_an_email_or_mobile_another_client_has_and_writes_nothing()
    {
        var biz = await App.SignUpBusinessAsync();
        var other = await App.SignUpBusinessAsync();
        var (email, mobile) = (PortalAuthHelpers.NewEmail(), PortalAuthHelpers.NewMobile());
        Assert.Equal(HttpStatusCode.Created, (await fixture.NewClient().RegisterAsync(biz.Slug, email)).StatusCode);
        // The mobile verified on another client (staff vouched for it): phone sign-in finds them by it. (One only typed at
        // registration no longer stands in the way: StaffMobileClaimTests.)
        Assert.Equal(HttpStatusCode.Created, (await biz.Owner.PostAsJsonAsync(Clients(), new { firstName = "Vera", lastName = "Verified", mobile })).StatusCode);
        var before = await ClientCountAsync(biz);

        Assert.Equal(["email", "mobile"], await FieldsAsync(await biz.Owner.PostAsJsonAsync(Clients(), new { firstName = "No", lastName = "Contact", email = " ", mobile = "" })));
        Assert.Equal(["firstName", "mobile"], await FieldsAsync(await biz.Owner.PostAsJsonAsync(Clients(), new { firstName = "", lastName = "X", mobile = "12" })));
        Assert.Equal(["email"], await FieldsAsync(await biz.Owner.PostAsJsonAsync(Clients(), new { firstName = "A", lastName = "B", email = "not an email" })));
        Assert.Equal(["email"], await FieldsAsync(await biz.Owner.PostAsJsonAsync(Clients(), new { firstName = "A", lastName = "B", email = email.ToUpperInvariant() })));
        Assert.Equal(["mobile"], await FieldsAsync(await biz.Owner.PostAsJsonAsync(Clients(), new { firstName = "A", lastName = "B", email = PortalAuthHelpers.NewEmail(), mobile })));
        Assert.Equal(before, await ClientCountAsync(biz));

        // Another business's clients are nothing to this one: the same email and mobile are free there.
        Assert.Equal(HttpStatusCode.Created, (await other.Owner.PostAsJsonAsync(Clients(), new { firstName = "A", lastName = "B", email, mobile })).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await fixture.NewClient().PostAsJsonAsync(Clients(), new { firstName = "A", lastName = "B", email = PortalAuthHelpers.NewEmail() })).StatusCode);
    }

    [Fact]
    public async Task Staff_change_a_clients_details_the_new_email_signs_in_a_changed_mobile_is_on_file_and_an_unchanged_claim_stays_a_claim()
    {
        var biz = await App.SignUpBusinessAsync();
        var (email, mobile) = (PortalAuthHelpers.NewEmail(), PortalAuthHelpers.NewMobile());
        var registered = await fixture.NewClient().RegisterAsync(biz.Slug, email, mobile: mobile, first: "Emma");
        var id = (await registered.JsonAsync()).GetProperty("id").GetString()!;
        var taken = PortalAuthHelpers.NewEmail();
        Assert.Equal(HttpStatusCode.Created, (await fixture.NewClient().RegisterAsync(biz.Slug, taken)).StatusCode);

        // A reset link already sent to the old address.
        Assert.Equal(HttpStatusCode.Accepted, (await fixture.NewClient().PostAsJsonAsync($"/api/v1/portal/auth/forgot-password?name={biz.Slug}", new { email })).StatusCode);
        var token = System.Web.HttpUtility.ParseQueryString(new Uri((await App.ResetEventAsync(email)).GetProperty("resetUrl").GetString()!).Query)["token"]!;

        // Name and email changed, the mobile left as it is: it stays the client's unproven claim.
        var newEmail = PortalAuthHelpers.NewEmail();
        var changed = await biz.Owner.PutAsJsonAsync(Clients($"/{id}"), new { firstName = "Emma", lastName = "Jones", email = newEmail.ToUpperInvariant(), mobile });
        var view = await changed.JsonAsync();
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        Assert.Equal("Emma Jones", view.GetProperty("name").GetString());
        Assert.Equal(newEmail, view.GetProperty("email").GetString());
        Assert.False(await VerifiedAsync(id));
        // The password went with the old address (decision 300): neither address signs in with it.
        Assert.Equal(HttpStatusCode.Unauthorized, (await fixture.NewClient().SignInAsync(biz.Slug, newEmail)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await fixture.NewClient().SignInAsync(biz.Slug, email)).StatusCode);
        var reset = await fixture.NewClient().PostAsJsonAsync($"/api/v1/portal/auth/reset-password?name={biz.Slug}", new { token, newPassword = "someone else's sentence for this account" });
        Assert.Equal(HttpStatusCode.BadRequest, reset.StatusCode); // the old address's link no longer works

        // A mobile staff enter is on file.
        var newMobile = PortalAuthHelpers.NewMobile();
        var moved = await biz.Owner.PutAsJsonAsync(Clients($"/{id}"), new { firstName = "Emma", lastName = "Jones", email = newEmail, mobile = "0" + newMobile[3..] });
        Assert.Equal(newMobile, (await moved.JsonAsync()).GetProperty("mobile").GetString());
        Assert.True(await VerifiedAsync(id));

        // Another client's email: refused on the field, and nothing else of the change is saved.
        Assert.Equal(["email"], await FieldsAsync(await biz.Owner.PutAsJsonAsync(Clients($"/{id}"), new { firstName = "Changed", lastName = "Jones", email = taken, mobile = newMobile })));
        Assert.Equal(["email", "mobile"], await FieldsAsync(await biz.Owner.PutAsJsonAsync(Clients($"/{id}"), new { firstName = "Changed", lastName = "Jones", email = (string?)null, mobile = (string?)null })));
        var now = await (await biz.Owner.GetAsync(Clients($"/{id}"))).JsonAsync();
        Assert.Equal("Emma Jones", now.GetProperty("name").GetString());
        Assert.Equal(newEmail, now.GetProperty("email").GetString());
    }

    [Fact]
    public async Task Changing_another_businesss_client_or_a_malformed_id_is_not_found_and_changes_nothing()
    {
        var biz = await App.SignUpBusinessAsync();
        var other = await App.SignUpBusinessAsync();
        var email = PortalAuthHelpers.NewEmail();
        var theirs = (await (await fixture.NewClient().RegisterAsync(other.Slug, email, first: "Theo")).JsonAsync()).GetProperty("id").GetString()!;

        foreach (var id in new[] { theirs, "not-an-id", Guid.NewGuid().ToString() })
        {
            var put = await biz.Owner.PutAsJsonAsync(Clients($"/{id}"), new { firstName = "Stolen", lastName = "Name", email = PortalAuthHelpers.NewEmail() });
            Assert.Equal(HttpStatusCode.NotFound, put.StatusCode);
        }

        Assert.Equal("Theo", await Sql.AdminScalarAsync<string>(App.Database.Database, "select first_name from portalauth.clients where id = @i", ("i", Guid.Parse(theirs))));
        Assert.Equal(HttpStatusCode.Unauthorized, (await fixture.NewClient().PutAsJsonAsync(Clients($"/{theirs}"), new { firstName = "A", lastName = "B", email })).StatusCode);
    }

    [Fact]
    public async Task The_staff_pages_add_a_client_show_field_errors_and_edit_the_details()
    {
        var biz = await App.SignUpBusinessAsync();
        var list = await biz.Owner.PageAsync("/staff/clients");
        Assert.Equal(HttpStatusCode.OK, list.Status);

        var failed = await biz.Owner.SubmitAsync(list, PortalHtml.Fields(("Input.FirstName", "Walk"), ("Input.LastName", "In"), ("Input.Mobile", "12")), "form[action*='handler=Add']");
        Assert.Equal(HttpStatusCode.OK, failed.Status);
        Assert.StartsWith("Error: ", failed.Document.Title, StringComparison.Ordinal);
        Assert.Equal("true", failed.One("[name='Input.Mobile']")!.GetAttribute("aria-invalid"));
        Assert.Contains("Enter a valid mobile number.", failed.One("#c-mobile-error")!.TextContent, StringComparison.Ordinal);
        Assert.Equal("Walk", failed.One("[name='Input.FirstName']")!.GetAttribute("value")); // what was typed stays

        var mobile = PortalAuthHelpers.NewMobile();
        var added = await biz.Owner.SubmitAsync(list, PortalHtml.Fields(("Input.FirstName", "Walk"), ("Input.LastName", "In"), ("Input.Mobile", mobile)), "form[action*='handler=Add']");
        Assert.Equal(HttpStatusCode.Redirect, added.Status);
        var detailUrl = added.Response.Headers.Location!.OriginalString;
        Assert.StartsWith("/staff/clients/", detailUrl, StringComparison.Ordinal);

        var detail = await biz.Owner.PageAsync(detailUrl);
        Assert.Contains("Walk In is added.", detail.Text, StringComparison.Ordinal);
        // Written as the page shows it ("0401 234 567"); the save below reads it back as the same E.164 number.
        Assert.Equal($"0{mobile[3..6]} {mobile[6..9]} {mobile[9..]}", detail.One("form[action*='handler=Save'] [name='Input.Mobile']")!.GetAttribute("value"));
        var saved = await biz.Owner.SubmitAsync(detail, PortalHtml.Fields(("Input.LastName", "Inn")), "form[action*='handler=Save']");
        Assert.Equal(HttpStatusCode.Redirect, saved.Status);
        var after = await biz.Owner.PageAsync(detailUrl);
        Assert.Equal("Walk Inn", after.One("h1")!.TextContent);

        var bad = await biz.Owner.SubmitAsync(after, PortalHtml.Fields(("Input.FirstName", "")), "form[action*='handler=Save']");
        Assert.Equal("true", bad.One("[name='Input.FirstName']")!.GetAttribute("aria-invalid"));
        Assert.Equal("Walk Inn", bad.One("h1")!.TextContent);
    }
}
