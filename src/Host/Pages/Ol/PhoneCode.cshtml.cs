using Booking.BuildingBlocks.Web;
using Booking.PortalAuth.Domain;
using Booking.Host.Web;
using Booking.PortalAuth.Features.NewClient;
using Booking.PortalAuth.Features.Phone;
using Booking.PortalAuth.Features.Sessions;
using Microsoft.AspNetCore.Mvc;

namespace Booking.Host.Pages.Ol;

/// <summary>Step 2 of phone sign-in: the code. A phone on file signs in; an unknown phone goes to new-client.</summary>
public sealed class PhoneCodeModel(TimeProvider clock, NewClientTicket ticket, IWebHostEnvironment environment, PortalAuthOptions options) : PortalPageModel, ICodeEntryPage
{
    protected override bool ReadsSession => false;

    protected override string? SignInMethod => "phone";

    [BindProperty(SupportsGet = true)]
    public string? Attempt { get; set; }

    /// <summary>Unix seconds from which a new code may be asked for (the cooldown the server answered).</summary>
    [BindProperty(SupportsGet = true)]
    public long? ResendAt { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    [BindProperty]
    public CodeInput Input { get; set; } = new();

    /// <summary>The attempt cannot take a code any more: start again.</summary>
    public bool Dead { get; private set; }

    public bool ShowDevSmsHint => environment.IsDevelopment();

    public int SecondsToResend => ResendClock.SecondsUntil(ResendAt, clock);

    /// <summary>How long the code works, as its text says it (<see cref="PortalAuthOptions.CodeLifetimeWords"/>).</summary>
    public string CodeLifetime => options.CodeLifetimeWords;

    public string CodeAction => PortalUrl("/ol/phone/code", ("attempt", Attempt), ("resendAt", ResendAt?.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("returnUrl", ReturnUrl));

    public string ResendAction => PortalUrl("/ol/phone/code", ("handler", "resend"), ("attempt", Attempt), ("returnUrl", ReturnUrl));

    public string RestartUrl => PortalUrl("/ol/phone", ("returnUrl", ReturnUrl));

    public static string CodeUrl(PortalPageModel page, CodeSent sent, TimeProvider clock, string? returnUrl) =>
        page.PortalUrl("/ol/phone/code",
            ("attempt", sent.AttemptId.ToString()),
            ("resendAt", ResendClock.At(sent, clock)),
            ("returnUrl", returnUrl));

    /// <summary>The number the code went to, masked (<see cref="GetPhoneCodeTarget"/>); null when the attempt is unknown.</summary>
    public string? SentTo { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken) =>
        SentTo = await Sender.Send(new GetPhoneCodeTarget(Attempt), cancellationToken);

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
            SentTo = await Sender.Send(new GetPhoneCodeTarget(Attempt), cancellationToken);
            return Page();
        }
    }

    public async Task<IActionResult> OnPostResendAsync(CancellationToken cancellationToken)
    {
        try
        {
            var sent = await Sender.Send(new ResendCode(Attempt) { Ip = HttpContext.ClientIp() }, cancellationToken);
            return Redirect(CodeUrl(this, sent, clock, ReturnUrl) + "&resent=1");
        }
        catch (Exception ex) when (ModelState.TryAdd(ex, _ => ""))
        {
            Dead = PageProblems.Kind(ex) == "attempt-expired";
            SentTo = await Sender.Send(new GetPhoneCodeTarget(Attempt), cancellationToken);
            return Page();
        }
    }
}
