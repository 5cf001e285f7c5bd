using Booking.BuildingBlocks.Problems;
using Booking.BuildingBlocks.Web;
using Booking.Host.Web;
using Booking.PortalAuth.Domain;
using Booking.PortalAuth.Features.Me;
using Booking.PortalAuth.Features.Phone;
using Booking.PortalAuth.Features.Sessions;
using Booking.PortalAuth.Sms;
using FluentValidation;
using Microsoft.AspNetCore.Mvc;

namespace Booking.Host.Pages.Ol;

/// <summary>
/// /ol/account/mobile/code: step 2 of proving a mobile (VerifyMyMobile, as POST /api/v1/portal/me/mobile/verify), with
/// phone sign-in's code form (<c>Shared/_CodeEntry.cshtml</c>) and its handling of wrong and dead codes. The right
/// code goes back to Your details, which says so once.
/// </summary>
public sealed class AccountMobileCodeModel(TimeProvider clock, IWebHostEnvironment environment, IConfiguration configuration, PortalAuthOptions options)
    : PortalPageModel, ICodeEntryPage
{
    protected override bool RequiresClient => true;

    protected override string? SignInMethod => "phone";

    [BindProperty(SupportsGet = true)]
    public string? Attempt { get; set; }

    /// <summary>Unix seconds from which a new code may be asked for (the cooldown the server answered).</summary>
    [BindProperty(SupportsGet = true)]
    public long? ResendAt { get; set; }

    [BindProperty]
    public CodeInput Input { get; set; } = new();

    /// <summary>The attempt cannot take a code any more (or the number proved to be another client's): start again.</summary>
    public bool Dead { get; private set; }

    /// <summary>Only where texts land on /dev/sms: in Development with the outbox adapter, not the carrier's.</summary>
    public bool ShowDevSmsHint => environment.IsDevelopment() && !SmsAdapter.UsesCarrier(configuration);

    public int SecondsToResend => ResendClock.SecondsUntil(ResendAt, clock);

    /// <summary>How long the code works, as its text says it (<see cref="PortalAuthOptions.CodeLifetimeWords"/>).</summary>
    public string CodeLifetime => options.CodeLifetimeWords;

    public string CodeAction => PortalUrl("/ol/account/mobile/code", ("attempt", Attempt), ("resendAt", ResendAt?.ToString(System.Globalization.CultureInfo.InvariantCulture)));

    public string ResendAction => PortalUrl("/ol/account/mobile/code", ("handler", "resend"), ("attempt", Attempt));

    public string RestartUrl => PortalUrl("/ol/account/mobile");

    public static string CodeUrl(PortalPageModel page, CodeSent sent, TimeProvider clock) =>
        page.PortalUrl("/ol/account/mobile/code",
            ("attempt", sent.AttemptId.ToString()),
            ("resendAt", ResendClock.At(sent, clock)));

    /// <summary>The number the code went to, masked, as the sign-in code page names it (<see cref="GetPhoneCodeTarget"/>,
    /// this client's attempt only); null when the attempt is unknown.</summary>
    public string? SentTo { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken) =>
        SentTo = await Sender.Send(new GetPhoneCodeTarget(Attempt, ClientId!.Value), cancellationToken);

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        try
        {
            await Sender.Send(new VerifyMyMobile(Attempt, Input.Code)
            {
                ClientId = ClientId!.Value,
                CurrentSession = PortalSessions.CurrentKey(HttpContext),
            }, cancellationToken);
            PortalNotice.Keep(TempData, Business.Id, ClientId!.Value, AccountModel.MobileVerified);
            return Redirect(PortalUrl("/ol/account"));
        }
        catch (ValidationException ex) when (ex.Errors.Any(e => e.PropertyName == "mobile") && ModelState.TryAdd(ex, _ => ""))
        {
            // The right code, for a number another client signs in with: the code is used up; this page has no number field.
            Dead = true;
            Input.Code = null;
            return Page();
        }
        catch (Exception ex) when (CodeProblems.TryAdd(ModelState, ex, out var dead))
        {
            Dead = dead;
            Input.Code = null;
            SentTo = await Sender.Send(new GetPhoneCodeTarget(Attempt, ClientId!.Value), cancellationToken);
            return Page();
        }
    }

    public async Task<IActionResult> OnPostResendAsync(CancellationToken cancellationToken)
    {
        try
        {
            var sent = await Sender.Send(new ResendMyMobileCode(Attempt)
            {
                ClientId = ClientId!.Value,
                Ip = HttpContext.ClientIp(),
            }, cancellationToken);
            return Redirect(CodeUrl(this, sent, clock) + "&resent=1");
        }
        catch (Exception ex) when (ex is ProblemException { Kind: ProblemKinds.RateLimited, RetryAfterSeconds: { } wait })
        {
            // As the sign-in code page: the wait the server answered, never "now" beside it (decision 344).
            ResendAt = clock.GetUtcNow().ToUnixTimeSeconds() + wait;
            ModelState.AddModelError("", CodeLimitWords.For(wait));
            SentTo = await Sender.Send(new GetPhoneCodeTarget(Attempt, ClientId!.Value), cancellationToken);
            return Page();
        }
        catch (Exception ex) when (ModelState.TryAdd(ex, _ => ""))
        {
            Dead = PageProblems.Kind(ex) == "attempt-expired";
            SentTo = await Sender.Send(new GetPhoneCodeTarget(Attempt, ClientId!.Value), cancellationToken);
            return Page();
        }
    }
}
