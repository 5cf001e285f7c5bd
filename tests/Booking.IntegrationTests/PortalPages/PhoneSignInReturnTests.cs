using System.Globalization;
using System.Net;
using Booking.IntegrationTests.Appointments;
using Booking.IntegrationTests.Infrastructure;
using Booking.IntegrationTests.PortalAuth;
using Booking.PortalAuth.Domain;
using Microsoft.AspNetCore.WebUtilities;

namespace Booking.IntegrationTests.PortalPages;

/// <summary>
/// A visitor who chose a time and then signs in by phone comes back to that time (decision 143 left the phone path out):
/// a phone on file straight to the time's confirm page; a new client through their details and then to it, so the first
/// booking request is for that time. A return address that is not this business's portal page is dropped silently.
/// </summary>
public sealed class PhoneSignInReturnTests(PortalAuthApp fixture) : IClassFixture<PortalAuthApp>
{
    private BookingApp App => fixture.App;

    [Fact]
    public async Task A_visitor_who_chose_a_time_and_signs_in_by_phone_on_file_lands_on_that_times_confirm_page()
    {
        var b = await App.BookableAsync();
        var mobile = await OnFileAsync(b.Biz);
        var visitor = fixture.NewClient();
        var slot = await ChooseTimeAsync(visitor, b);

        var phone = await PhonePageFromConfirmAsync(visitor, slot);
        var signedIn = await SignInByPhoneAsync(visitor, phone, mobile);

        Assert.Equal(HttpStatusCode.Redirect, signedIn.Status);
        Assert.Equal(slot, signedIn.Response.Headers.Location!.OriginalString);
        var confirm = await visitor.PageAsync(slot);
        Assert.Equal(HttpStatusCode.OK, confirm.Status);
        Assert.NotNull(confirm.One("form[method=post] button[type=submit]"));
        Assert.Null(confirm.One("#no-longer-free"));
    }

    [Fact]
    public async Task A_time_taken_while_the_visitor_signed_in_by_phone_is_said_kindly_on_the_confirm_page()
    {
        var b = await App.BookableAsync();
        var mobile = await OnFileAsync(b.Biz);
        var visitor = fixture.NewClient();
        var slot = await ChooseTimeAsync(visitor, b);
        var phone = await PhonePageFromConfirmAsync(visitor, slot);

        // Someone else books the time meanwhile.
        var other = await App.RegisterClientAsync(b.Biz, "Otto");
        Assert.Equal(HttpStatusCode.Created, (await other.BookAsync(b, StartOf(slot))).StatusCode);

        var signedIn = await SignInByPhoneAsync(visitor, phone, mobile);
        Assert.Equal(slot, signedIn.Response.Headers.Location!.OriginalString);
        var confirm = await visitor.PageAsync(slot);
        Assert.Equal(HttpStatusCode.OK, confirm.Status);
        Assert.Contains("this time is no longer free", confirm.One("#no-longer-free")?.TextContent, StringComparison.Ordinal);
        Assert.NotNull(confirm.One("#no-longer-free a[href^='/ol/new-booking?']"));
    }

    [Fact]
    public async Task A_new_phone_client_gives_their_details_and_their_request_is_for_the_time_they_chose()
    {
        var b = await App.BookableAsync();
        await b.Biz.SettingsAsync(s =>
        {
            s["newClientsNeedApproval"] = true;
            s["booksForPets"] = true;
        });
        PortalAuthApp.Rules[b.Biz.Id] = PortalRules.Default with { NewClientsNeedApproval = true, BooksForPets = true };
        var visitor = fixture.NewClient();
        var slot = await ChooseTimeAsync(visitor, b, nth: 3);
        var phone = await PhonePageFromConfirmAsync(visitor, slot);

        var verified = await SignInByPhoneAsync(visitor, phone, PortalAuthHelpers.NewMobile());
        Assert.Equal(HttpStatusCode.Redirect, verified.Status);
        var details = verified.Response.Headers.Location!.OriginalString;
        Assert.StartsWith($"/ol/new-client?name={b.Biz.Slug}&returnUrl=", details, StringComparison.Ordinal);

        var form = await visitor.PageAsync(details);
        Assert.Contains("confirm the time you chose", form.Text, StringComparison.Ordinal);
        var joined = await visitor.SubmitAsync(form, PortalHtml.Fields(("Input.FirstName", "Nova"), ("Input.LastName", "Newcomer"),
            ("Input.Pets[0].Name", "Biscuit"), ("Input.Pets[0].Species", "dog")));
        Assert.Equal(HttpStatusCode.Redirect, joined.Status);
        Assert.Equal(slot, joined.Response.Headers.Location!.OriginalString);

        var confirm = await visitor.PageAsync(slot);
        Assert.Equal(HttpStatusCode.OK, confirm.Status);
        Assert.Contains("Send this booking request to finish joining", confirm.One("#finish-joining")?.TextContent, StringComparison.Ordinal);
        var booked = await visitor.SubmitAsync(confirm, new Dictionary<string, string>());
        Assert.Equal(HttpStatusCode.Redirect, booked.Status);
        Assert.StartsWith("/ol/booked?", booked.Response.Headers.Location!.OriginalString, StringComparison.Ordinal);

        // The request is for the chosen time, for the pet given with the details.
        var day = StartOf(slot)[..10];
        var diary = await (await b.Biz.Owner.GetAsync(new Uri($"/api/v1/admin/diary?from={day}&to={day}", UriKind.Relative))).JsonAsync(HttpStatusCode.OK);
        var request = Assert.Single(diary.GetProperty("appointments").EnumerateArray());
        Assert.Equal(DateTimeOffset.Parse(StartOf(slot), CultureInfo.InvariantCulture), request.GetProperty("start").GetDateTimeOffset());
        Assert.Equal("requested", request.GetProperty("status").GetString());
        Assert.Equal("Biscuit", request.GetProperty("pet").GetProperty("name").GetString());
        Assert.Equal("Nova", request.GetProperty("client").GetProperty("name").GetString()!.Split(' ')[0]);
    }

    [Fact]
    public async Task A_new_phone_client_with_two_pets_says_which_one_the_time_they_chose_is_for_and_the_request_is_for_it()
    {
        var b = await App.BookableAsync();
        await b.Biz.SettingsAsync(s =>
        {
            s["newClientsNeedApproval"] = true;
            s["booksForPets"] = true;
        });
        PortalAuthApp.Rules[b.Biz.Id] = PortalRules.Default with { NewClientsNeedApproval = true, BooksForPets = true };
        var visitor = fixture.NewClient();
        var slot = await ChooseTimeAsync(visitor, b, nth: 4);
        var phone = await PhonePageFromConfirmAsync(visitor, slot);
        var verified = await SignInByPhoneAsync(visitor, phone, PortalAuthHelpers.NewMobile());
        var form = await visitor.PageAsync(verified.Response.Headers.Location!.OriginalString);
        Assert.Null(form.One("input[name='Input.FirstFor']")); // one pet: nothing to choose

        // A second row (no script), then the second pet chosen for the time: "For" opens on her on the confirm page.
        var two = await visitor.SubmitAsync(form, PortalHtml.Fields(("rows", "add"), ("Input.FirstName", "Nova"), ("Input.LastName", "Newcomer"),
            ("Input.Pets[0].Name", "Biscuit"), ("Input.Pets[0].Species", "dog")));
        Assert.Equal(HttpStatusCode.OK, two.Status);
        Assert.Equal("The time I chose is for this pet", two.One("label[for='pet-2-first']")?.TextContent.Trim());
        Assert.NotNull(two.One("#pet-1-first[checked]")); // the first pet, until another is chosen
        var joined = await visitor.SubmitAsync(two, PortalHtml.Fields(("Input.Pets[1].Name", "Pepper"), ("Input.Pets[1].Species", "cat"), ("Input.FirstFor", "1")));
        Assert.Equal(HttpStatusCode.Redirect, joined.Status);
        var me = await (await visitor.MeAsync(b.Biz.Slug)).JsonAsync();
        var pepper = me.GetProperty("pets").EnumerateArray().Single(p => p.GetProperty("name").GetString() == "Pepper").GetProperty("id").GetString();
        Assert.Equal(QueryHelpers.AddQueryString(slot, "pet", pepper!), joined.Response.Headers.Location!.OriginalString);

        var confirm = await visitor.PageAsync(joined.Response.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.OK, confirm.Status);
        Assert.Equal("Pepper (cat)", confirm.One("select[name='Input.PetId'] option[selected]")?.TextContent.Trim());
        var booked = await visitor.SubmitAsync(confirm, new Dictionary<string, string>());
        Assert.Equal(HttpStatusCode.Redirect, booked.Status);

        var day = StartOf(slot)[..10];
        var diary = await (await b.Biz.Owner.GetAsync(new Uri($"/api/v1/admin/diary?from={day}&to={day}", UriKind.Relative))).JsonAsync(HttpStatusCode.OK);
        var request = Assert.Single(diary.GetProperty("appointments").EnumerateArray());
        Assert.Equal("Pepper", request.GetProperty("pet").GetProperty("name").GetString());
    }

    [Fact]
    public async Task A_new_phone_client_with_two_pets_and_no_time_yet_has_the_chosen_pet_carried_through_the_times_to_the_confirm_page()
    {
        var b = await App.BookableAsync();
        await b.Biz.SettingsAsync(s => s["booksForPets"] = true);
        PortalAuthApp.Rules[b.Biz.Id] = PortalRules.Default with { BooksForPets = true };
        var visitor = await App.VerifiedUnknownPhoneAsync(b.Biz);
        var form = await visitor.PageAsync($"/ol/new-client?name={b.Biz.Slug}");
        var two = await visitor.SubmitAsync(form, PortalHtml.Fields(("rows", "add")));
        Assert.Equal("My first booking is for this pet", two.One("label[for='pet-2-first']")?.TextContent.Trim());
        var joined = await visitor.SubmitAsync(two, PortalHtml.Fields(("Input.FirstName", "Nova"), ("Input.LastName", "Newcomer"),
            ("Input.Pets[0].Name", "Biscuit"), ("Input.Pets[0].Species", "dog"), ("Input.Pets[1].Name", "Pepper"), ("Input.Pets[1].Species", "cat"), ("Input.FirstFor", "1")));
        Assert.Equal(HttpStatusCode.Redirect, joined.Status);
        var me = await (await visitor.MeAsync(b.Biz.Slug)).JsonAsync();
        var pepper = me.GetProperty("pets").EnumerateArray().Single(p => p.GetProperty("name").GetString() == "Pepper").GetProperty("id").GetString()!;
        var booking = joined.Response.Headers.Location!.OriginalString;
        Assert.Equal($"/ol/new-booking?name={b.Biz.Slug}&welcome=1&pet={pepper}", booking);

        // The service's times (the only service: chosen), then a time: "For" opens on Pepper.
        var times = await visitor.PageAsync(booking);
        Assert.Equal(pepper, times.One("#pick-day input[name=pet]")?.GetAttribute("value"));
        var slot = System.Net.WebUtility.HtmlDecode(times.One("a.slot")!.GetAttribute("href")!);
        Assert.Contains($"&pet={pepper}", slot, StringComparison.Ordinal);
        var confirm = await visitor.PageAsync(slot);
        Assert.Equal("Pepper (cat)", confirm.One("select[name='Input.PetId'] option[selected]")?.TextContent.Trim());
        Assert.Contains($"pet={pepper}", confirm.All("a").Single(a => a.TextContent.Trim() == "Choose another time").GetAttribute("href"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_code_page_names_the_number_the_code_went_to_masked_with_a_way_to_change_it()
    {
        var b = await App.BookableAsync();
        var mobile = await OnFileAsync(b.Biz);
        var visitor = fixture.NewClient();
        var phone = await visitor.PageAsync($"/ol/phone?name={b.Biz.Slug}");
        var sent = await visitor.SubmitAsync(phone, PortalHtml.Fields(("Input.Mobile", mobile)));
        var code = await visitor.PageAsync(sent.Response.Headers.Location!.OriginalString);

        var said = code.One("#code-sent-to")?.TextContent ?? "";
        Assert.Contains($"We sent a 6-digit code to •••• ••• {mobile[^3..]}. It works for 10 minutes.", said, StringComparison.Ordinal);
        Assert.Equal("Wrong number? Change it", code.One("#change-number")?.TextContent.Trim());
        Assert.StartsWith($"/ol/phone?name={b.Biz.Slug}", code.One("#change-number")?.GetAttribute("href"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_phone_and_code_pages_say_why_the_visitor_is_signing_in_as_the_email_page_does()
    {
        var b = await App.BookableAsync();
        var mobile = await OnFileAsync(b.Biz);
        var visitor = fixture.NewClient();
        var slot = await ChooseTimeAsync(visitor, b);

        var phone = await PhonePageFromConfirmAsync(visitor, slot);
        // The time chosen, restated (s41 review, finding 9): the service and the time as the business's clock shows it.
        var said = phone.One("#sign-in-reason")?.TextContent.Trim();
        Assert.Matches(@"^Sign in to book .+ on \w+ \d+ \w+ \d{4} at \d{1,2}:\d{2}.*\.$", said);
        var sent = await visitor.SubmitAsync(phone, PortalHtml.Fields(("Input.Mobile", mobile)));
        var code = await visitor.PageAsync(sent.Response.Headers.Location!.OriginalString);
        Assert.Equal(said, code.One("#sign-in-reason")?.TextContent.Trim());
        Assert.DoesNotContain("/ol/new-booking", code.One("main")!.TextContent, StringComparison.Ordinal); // the address itself is never shown

        var cancel = await visitor.PageAsync($"/ol/phone?name={b.Biz.Slug}&returnUrl={Uri.EscapeDataString($"/ol/cancel?name={b.Biz.Slug}&id={Guid.NewGuid()}")}");
        Assert.Equal("Sign in to cancel your appointment.", cancel.One("#sign-in-reason")?.TextContent.Trim());
        Assert.Null((await visitor.PageAsync($"/ol/phone?name={b.Biz.Slug}")).One("#sign-in-reason"));
    }

    /// <summary>Return addresses that are not this business's portal page ({slug}: this business, {other}: another).</summary>
    public static readonly TheoryData<string> HostileReturns = new()
    {
        "https://evil.example/ol/new-booking",
        "//evil.example/ol/new-booking",
        "/\\evil.example/ol/new-booking",
        "/ol/../staff/diary?name={slug}",
        "/ol/%2e%2e/staff/diary?name={slug}",
        "/ol/appointments?name={other}",
        "/ol/appointments?name={slug}&name={other}",
        "/staff/diary?name={slug}",
    };

    [Theory]
    [MemberData(nameof(HostileReturns))]
    public async Task A_return_address_that_is_not_this_businesss_portal_page_is_dropped_after_phone_sign_in(string hostile)
    {
        var b = await App.SignUpBusinessAsync("ret");
        var other = await App.SignUpBusinessAsync("other");
        var returnUrl = hostile.Replace("{slug}", b.Slug, StringComparison.Ordinal).Replace("{other}", other.Slug, StringComparison.Ordinal);
        var mobile = await OnFileAsync(b);
        var visitor = fixture.NewClient();

        var phone = await visitor.PageAsync($"/ol/phone?name={b.Slug}&returnUrl={Uri.EscapeDataString(returnUrl)}");
        Assert.Null(phone.One("#sign-in-reason")); // no reason is given for an address not followed
        var signedIn = await SignInByPhoneAsync(visitor, phone, mobile);

        Assert.Equal(HttpStatusCode.Redirect, signedIn.Status);
        Assert.Equal($"/ol/appointments?name={b.Slug}", signedIn.Response.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task Another_businesss_page_as_the_return_address_is_dropped_on_the_way_through_the_new_client_details()
    {
        var b = await App.BookableAsync();
        var other = await App.BookableAsync();
        var elsewhere = await ChooseTimeAsync(fixture.NewClient(), other);
        var visitor = fixture.NewClient();

        var phone = await visitor.PageAsync($"/ol/phone?name={b.Biz.Slug}&returnUrl={Uri.EscapeDataString(elsewhere)}");
        var verified = await SignInByPhoneAsync(visitor, phone, PortalAuthHelpers.NewMobile());
        Assert.Equal($"/ol/new-client?name={b.Biz.Slug}", verified.Response.Headers.Location!.OriginalString);

        // Even typed into the details page's own address, it is not followed.
        var form = await visitor.PageAsync($"/ol/new-client?name={b.Biz.Slug}&returnUrl={Uri.EscapeDataString(elsewhere)}");
        Assert.DoesNotContain("returnUrl", form.One("form[method=post]")?.GetAttribute("action"), StringComparison.Ordinal);
        var joined = await visitor.SubmitAsync(form, PortalHtml.Fields(("Input.FirstName", "Ivy"), ("Input.LastName", "Elsewhere")));
        Assert.Equal(HttpStatusCode.Redirect, joined.Status);
        Assert.Equal($"/ol/new-booking?name={b.Biz.Slug}&welcome=1", joined.Response.Headers.Location!.OriginalString);
    }

    /// <summary>
    /// A client who typed her mobile at email registration chooses a time, then signs in "with your mobile": the new-client
    /// page says the number is on her email account, and its "Sign in with your email" brings her back to the time she chose.
    /// </summary>
    [Fact]
    public async Task A_claimed_number_signs_in_with_its_email_from_the_new_client_page_and_lands_on_the_time_chosen()
    {
        var b = await App.BookableAsync();
        var mobile = PortalAuthHelpers.NewMobile();
        var email = PortalAuthHelpers.NewEmail();
        Assert.Equal(HttpStatusCode.Created, (await fixture.NewClient().RegisterAsync(b.Biz.Slug, email, mobile: mobile)).StatusCode);
        var visitor = fixture.NewClient();
        var slot = await ChooseTimeAsync(visitor, b, nth: 1);
        var phone = await PhonePageFromConfirmAsync(visitor, slot);

        var verified = await SignInByPhoneAsync(visitor, phone, mobile);
        var details = verified.Response.Headers.Location!.OriginalString;
        Assert.StartsWith($"/ol/new-client?name={b.Biz.Slug}&returnUrl=", details, StringComparison.Ordinal);
        var form = await visitor.PageAsync(details);
        var claim = form.One("#claimed-by");
        var link = claim!.QuerySelector("a")!.GetAttribute("href")!;
        Assert.StartsWith($"/ol/sign-in?name={b.Biz.Slug}&", link, StringComparison.Ordinal);
        Assert.Equal(slot, ReturnUrlOf(link));
        Assert.Contains("confirm the time you chose", claim.TextContent, StringComparison.Ordinal);

        var signIn = await visitor.PageAsync(link);
        Assert.Equal(HttpStatusCode.OK, signIn.Status);
        var signedIn = await visitor.SubmitAsync(signIn, PortalHtml.Fields(("Input.Email", email), ("Input.Password", PortalAuthHelpers.Password)));
        Assert.Equal(HttpStatusCode.Redirect, signedIn.Status);
        Assert.Equal(slot, signedIn.Response.Headers.Location!.OriginalString);

        var confirm = await visitor.PageAsync(slot);
        Assert.Equal(HttpStatusCode.OK, confirm.Status);
        Assert.NotNull(confirm.One("form[method=post] button[type=submit]"));
        Assert.Null(confirm.One("#no-longer-free"));
        Assert.Null(confirm.One("#finish-joining")); // her own account: no new client was made
        Assert.Equal(1L, await Sql.AdminScalarAsync<long>(App.Database.Database, "select count(*) from portalauth.clients where tenant_id = @t", ("t", b.Biz.Id)));
    }

    [Theory]
    [MemberData(nameof(HostileReturns))]
    public async Task A_return_address_that_is_not_this_businesss_portal_page_is_not_carried_to_email_sign_in_from_the_new_client_page(string hostile)
    {
        var b = await App.SignUpBusinessAsync("ret");
        var other = await App.SignUpBusinessAsync("other");
        var returnUrl = hostile.Replace("{slug}", b.Slug, StringComparison.Ordinal).Replace("{other}", other.Slug, StringComparison.Ordinal);
        var mobile = PortalAuthHelpers.NewMobile();
        var email = PortalAuthHelpers.NewEmail();
        Assert.Equal(HttpStatusCode.Created, (await fixture.NewClient().RegisterAsync(b.Slug, email, mobile: mobile)).StatusCode);
        var visitor = fixture.NewClient();

        var phone = await visitor.PageAsync($"/ol/phone?name={b.Slug}&returnUrl={Uri.EscapeDataString(returnUrl)}");
        var verified = await SignInByPhoneAsync(visitor, phone, mobile);
        Assert.Equal($"/ol/new-client?name={b.Slug}", verified.Response.Headers.Location!.OriginalString);

        // Typed into the details page's own address: the email link still goes on to proving the mobile, not there.
        var form = await visitor.PageAsync($"/ol/new-client?name={b.Slug}&returnUrl={Uri.EscapeDataString(returnUrl)}");
        var link = form.One("#claimed-by a")!.GetAttribute("href")!;
        Assert.Equal($"/ol/account/mobile?name={b.Slug}", ReturnUrlOf(link));

        // And given to the sign-in page itself, it is dropped there too.
        var signIn = await visitor.PageAsync($"/ol/sign-in?name={b.Slug}&returnUrl={Uri.EscapeDataString(returnUrl)}");
        var signedIn = await visitor.SubmitAsync(signIn, PortalHtml.Fields(("Input.Email", email), ("Input.Password", PortalAuthHelpers.Password)));
        Assert.Equal(HttpStatusCode.Redirect, signedIn.Status);
        Assert.Equal($"/ol/appointments?name={b.Slug}", signedIn.Response.Headers.Location!.OriginalString);
    }

    private static string ReturnUrlOf(string link) => QueryHelpers.ParseQuery(new Uri("http://x" + link).Query)["returnUrl"].ToString();

    /// <summary>A client on file for phone sign-in (their mobile verified, as staff put it there); returns the mobile.</summary>
    private async Task<string> OnFileAsync(TestBusiness biz)
    {
        var mobile = PortalAuthHelpers.NewMobile();
        await Sql.AdminExecAsync(App.Database.Database, """
            INSERT INTO portalauth.clients (tenant_id, id, first_name, last_name, mobile, mobile_verified, status, created_at)
            VALUES (@t, gen_random_uuid(), 'Olive', 'Onfile', @m, true, 'active', now())
            """, ("t", biz.Id), ("m", mobile));
        return mobile;
    }

    /// <summary>The visitor looks at the free times and picks one: the slot's link, the confirm page of that time.</summary>
    private static async Task<string> ChooseTimeAsync(HttpClient visitor, Bookable b, int nth = 0)
    {
        var day = SchedulingApi.Iso(SchedulingApi.Day(3));
        var times = await visitor.PageAsync($"/ol/new-booking?name={b.Biz.Slug}&service={b.ServiceId}&date={day}");
        Assert.Equal(HttpStatusCode.OK, times.Status);
        var slot = times.All("a.slot").Skip(nth).FirstOrDefault()?.GetAttribute("href");
        Assert.NotNull(slot);
        Assert.StartsWith("/ol/new-booking/confirm?", slot, StringComparison.Ordinal);
        return slot;
    }

    /// <summary>The confirm page sends the visitor to sign in; from there, "Sign in with your mobile instead", keeping the way back.</summary>
    private static async Task<HtmlPage> PhonePageFromConfirmAsync(HttpClient visitor, string slot)
    {
        var confirm = await visitor.GetAsync(new Uri(slot, UriKind.Relative));
        Assert.Equal(HttpStatusCode.Redirect, confirm.StatusCode);
        var signIn = await visitor.PageAsync(confirm.Headers.Location!.OriginalString);
        var byPhone = signIn.All("a").Select(a => a.GetAttribute("href") ?? "").Single(h => h.StartsWith("/ol/phone?", StringComparison.Ordinal));
        Assert.Contains("returnUrl=" + Uri.EscapeDataString(slot), byPhone, StringComparison.Ordinal);
        var phone = await visitor.PageAsync(byPhone);
        Assert.Equal(HttpStatusCode.OK, phone.Status);
        return phone;
    }

    /// <summary>The mobile on the phone page, then the texted code on the code page: the code post's answer.</summary>
    private static async Task<HtmlPage> SignInByPhoneAsync(HttpClient browser, HtmlPage phone, string mobile)
    {
        var sent = await browser.SubmitAsync(phone, PortalHtml.Fields(("Input.Mobile", mobile)));
        Assert.Equal(HttpStatusCode.Redirect, sent.Status);
        var codePage = await browser.PageAsync(sent.Response.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.OK, codePage.Status);
        return await browser.SubmitAsync(codePage, PortalHtml.Fields(("Input.Code", await browser.CodeSentToAsync(mobile))));
    }

    private static string StartOf(string slot) => QueryHelpers.ParseQuery(new Uri("http://x" + slot).Query)["start"].ToString();
}
