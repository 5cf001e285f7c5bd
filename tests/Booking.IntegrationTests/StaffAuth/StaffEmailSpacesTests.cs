using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Booking.IntegrationTests.Infrastructure;
using Booking.IntegrationTests.Setup;

namespace Booking.IntegrationTests.StaffAuth;

/// <summary>
/// An email with spaces around it (pasted, or sent by an app that does not trim as a browser's email box does) is
/// trimmed by staff sign-in, adding or inviting a team member and changing one's address, as it is by the client
/// portal's sign-in and both forgot-password requests: the address is the same address.
/// </summary>
public sealed class StaffEmailSpacesTests(SharedApp shared) : IClassFixture<SharedApp>
{
    private BookingApp App => shared.App;

    private static async Task<JsonElement> AddAsync(TestBusiness biz, string email, string? password) =>
        await (await biz.Owner.PostAsJsonAsync("/api/v1/admin/staff",
            new { name = "Pat Spaces", email, password, role = "practitioner", diaryIds = Array.Empty<Guid>() })).JsonAsync(HttpStatusCode.Created);

    private Task<HttpResponseMessage> SignInAsync(TestBusiness biz, string email, string password) =>
        App.NewClient().PostAsJsonAsync($"/api/v1/staff/auth/sign-in?name={biz.Slug}", new { email, password });

    [Fact]
    public async Task Staff_sign_in_adding_inviting_and_changing_an_email_trim_the_spaces_around_it()
    {
        var biz = await App.SignUpBusinessAsync("trim");
        var email = $"pat-{Guid.NewGuid():N}@{biz.Slug}.example";

        // Added with a password, the address pasted with spaces (and capitals) around it: stored as the address.
        var added = await AddAsync(biz, $"  {email.ToUpperInvariant()} \t", TestBusiness.OwnerPassword);
        Assert.Equal(email, added.GetProperty("email").GetString());

        // Sign-in takes the address with spaces around it, as the client portal's does.
        foreach (var typed in new[] { email + " ", " " + email, "\t" + email.ToUpperInvariant() + "  " })
        {
            var signedIn = await SignInAsync(biz, typed, TestBusiness.OwnerPassword);
            Assert.True(signedIn.StatusCode == HttpStatusCode.OK, $"{typed}: {(int)signedIn.StatusCode} {await signedIn.Content.ReadAsStringAsync()}");
        }

        // Still refused, naming the field: only spaces, or an address with a space inside it.
        foreach (var bad in new[] { "   ", "pat @x.example" })
        {
            var refused = await (await SignInAsync(biz, bad, TestBusiness.OwnerPassword)).JsonAsync(HttpStatusCode.BadRequest);
            Assert.Equal(["email"], refused.ErrorFields());
        }

        // Invited (no password): the invitation is saved and sent to the trimmed address.
        var invitedEmail = $"ivy-{Guid.NewGuid():N}@{biz.Slug}.example";
        var invited = await AddAsync(biz, $" {invitedEmail}  ", password: null);
        Assert.Equal(invitedEmail, invited.GetProperty("email").GetString());
        Assert.True(invited.GetProperty("invited").GetBoolean());
        await Eventually.ReturnsAsync(
            () => App.NewClient().GetFromJsonAsync<JsonElement>($"/dev/api/mail?to={Uri.EscapeDataString(invitedEmail)}"),
            j => j.GetArrayLength() >= 1, TimeSpan.FromSeconds(60), $"the invitation to {invitedEmail}");

        // A change of address with spaces around it waits for the trimmed address's link.
        var changed = $"moved-{Guid.NewGuid():N}@{biz.Slug}.example";
        var put = await (await biz.Owner.PutAsJsonAsync($"/api/v1/admin/staff/{added.GetProperty("id").GetGuid()}",
            new { name = "Pat Spaces", email = $" {changed} ", role = "practitioner", diaryIds = Array.Empty<Guid>() })).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(changed, put.GetProperty("pendingEmail").GetString());

        // Forgot-password trimmed before (decision of ForgotStaffPassword); still does.
        Assert.Equal(HttpStatusCode.Accepted,
            (await App.NewClient().PostAsJsonAsync($"/api/v1/staff/auth/forgot-password?name={biz.Slug}", new { email = $" {email} " })).StatusCode);
    }

    [Fact]
    public async Task Signing_up_a_business_trims_the_owners_email_and_the_owner_signs_in_with_the_address()
    {
        var slug = $"trimsu-{Guid.NewGuid().ToString("N")[..10]}";
        var email = $"owner@{slug}.example";
        var signUp = await App.NewClient().PostAsJsonAsync("/api/v1/tenants", new
        {
            slug, name = $"Business {slug}", timeZone = "Australia/Sydney", countryCode = "AU",
            owner = new { name = "Olive Owner", email = $" {email} ", password = TestBusiness.OwnerPassword },
        });
        Assert.True(signUp.StatusCode == HttpStatusCode.Created, $"{(int)signUp.StatusCode} {await signUp.Content.ReadAsStringAsync()}");

        var signedIn = await App.NewClient().PostAsJsonAsync($"/api/v1/staff/auth/sign-in?name={slug}", new { email, password = TestBusiness.OwnerPassword });
        Assert.Equal(HttpStatusCode.OK, signedIn.StatusCode);

        // Only spaces is still refused, naming the field.
        var refused = await (await App.NewClient().PostAsJsonAsync("/api/v1/tenants", new
        {
            slug = slug + "x", name = "Blank", timeZone = "Australia/Sydney", countryCode = "AU",
            owner = new { name = "Olive Owner", email = "   ", password = TestBusiness.OwnerPassword },
        })).JsonAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["owner.email"], refused.ErrorFields());
    }
}
