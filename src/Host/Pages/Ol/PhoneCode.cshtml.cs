using Booking.BuildingBlocks.Problems;
using Booking.BuildingBlocks.Web;
using Booking.PortalAuth.Domain;
using Booking.Host.Web;
using Booking.PortalAuth.Features.NewClient;
using Booking.PortalAuth.Features.Phone;
using Booking.PortalAuth.Features.Sessions;
using Booking.PortalAuth.Sms;
using Microsoft.AspNetCore.Mvc;

namespace Booking.Host.Pages.Ol;

/// <summary>Step 2 of phone sign-in: the code. A phone on file signs in; an unknown phone goes to new-client.</summary>
public sealed class PhoneCodeModel(TimeProvider clock, NewClientTicket ticket, IWebHostEnvironment environment, IConfiguration configuration, PortalAuthOptions options)
    : CodePageModel(clock, environment, configuration, options)
{
    protected override bool ReadsSession => false;

    protected override string? SignInMethod => "phone";

    protected override Guid? AttemptClientId => null;

    protected override bool SignsIn => true;

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    /// <summary>Email sign-in, where the business offers it: the other way in when texts do not arrive.</summary>
    public override string? EmailSignInUrl => Settings.SignInMethods.Email ? PortalUrl("/ol/sign-in", ("returnUrl", ReturnUrl)) : null;

    public override string CodeAction => PortalUrl("/ol/phone/code", ("attempt", Attempt), ("resendAt", ResendAt?.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("returnUrl", ReturnUrl));

    public override string ResendAction => PortalUrl("/ol/phone/code", ("handler", "resend"), ("attempt", Attempt), ("returnUrl", ReturnUrl));

    public override string RestartUrl => PortalUrl("/ol/phone", ("returnUrl", ReturnUrl));

    public override (string Url, string Text) StartAgain => (PortalUrl("/ol/phone", ("returnUrl", ReturnUrl)), "Ask for a new code");

    public static string CodeUrl(PortalPageModel page, CodeSent sent, TimeProvider clock, string? returnUrl) =>
        page.PortalUrl("/ol/phone/code",
            ("attempt", sent.AttemptId.ToString()),
            ("resendAt", ResendClock.At(sent, clock)),
            ("returnUrl", returnUrl));

    public Task OnGetAsync(CancellationToken cancellationToken) => ReadForGetAsync(cancellationToken);

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        try
        {
            var result = await Sender.Send(new VerifyCode(Attempt, Input.Code), cancellationToken);
            if (result is { ClientId: { } clientId, Standing: { } standing })
            {
                return await SignedInAsync(clientId, standing, ReturnUrl, PortalSessions.ByPhone);
            }

            // A new client gives their details first, then goes on to the time they chose (if they chose one).
            ticket.Issue(HttpContext, Business.Id, result.AttemptId);
            return Redirect(PortalUrl("/ol/new-client", ("returnUrl", ReturnTo(ReturnUrl))));
        }
        catch (Exception ex) when (PageProblems.Kind(ex) == "not-accepting-new-clients")
        {
            // The right code for a number not on file, while the business takes no new clients: nothing on this form can
            // help, so the page says so as the new-client page would.
            return Gate(PortalGateView.NotAcceptingNewClients(Business.Name));
        }
        catch (Exception ex) when (CodeProblems.TryAdd(ModelState, ex, out var dead))
        {
            Dead = dead;
            Input.Code = null;
            await SayWhyDeadAsync(ex, cancellationToken);
            return Page();
        }
    }

    public Task<IActionResult> OnPostResendAsync(CancellationToken cancellationToken) =>
        ResendAsync(ct => Sender.Send(new ResendCode(Attempt) { Ip = HttpContext.ClientIp() }, ct).AsTask(),
            sent => CodeUrl(this, sent, Clock, ReturnUrl), cancellationToken);
}
