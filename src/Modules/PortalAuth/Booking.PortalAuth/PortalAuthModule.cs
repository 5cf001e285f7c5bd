using Booking.BuildingBlocks.Data;
using Booking.BuildingBlocks.Security;
using Booking.BuildingBlocks.Web;
using Booking.PortalAuth.Data;
using Booking.PortalAuth.Domain;
using Booking.PortalAuth.Features.Clients;
using Booking.PortalAuth.Features.DevSms;
using Booking.PortalAuth.Features.FirstRequestGate;
using Booking.PortalAuth.Features.Housekeeping;
using Booking.PortalAuth.Features.Me;
using Booking.PortalAuth.Features.Merge;
using Booking.PortalAuth.Features.NewClient;
using Booking.PortalAuth.Features.Passwords;
using Booking.PortalAuth.Features.PasswordSpray;
using Booking.PortalAuth.Features.Phone;
using Booking.PortalAuth.Features.Register;
using Booking.PortalAuth.Features.Sessions;
using Booking.PortalAuth.Features.SignIn;
using Booking.PortalAuth.Sms;
using FluentValidation;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Booking.PortalAuth;

public static class PortalAuthModule
{
    public static IServiceCollection AddPortalAuthModule(this IServiceCollection services)
    {
        services.AddModuleDatabase<PortalAuthDbContext>();
        // Validators are singletons, but for the ones that read the business (the country a mobile is read with):
        // they are scoped like the tenant context they read, so they work in a request, a job or a test alike.
        services.AddValidatorsFromAssemblyContaining<PortalAuthDbContext>(ServiceLifetime.Singleton, r => r.ValidatorType != typeof(RegisterValidator) && r.ValidatorType != typeof(AddClientValidator) && r.ValidatorType != typeof(ChangeClientValidator), includeInternalTypes: true);
        services.AddScoped<IValidator<Register>, RegisterValidator>();
        services.AddScoped<RegistrationCount>(); // one count per registration, shared by its validator and handler
        services.AddScoped<IValidator<AddClient>, AddClientValidator>();
        services.AddScoped<IValidator<ChangeClient>, ChangeClientValidator>();
        services.AddSingleton(sp => sp.GetRequiredService<IConfiguration>().GetSection(PortalAuthOptions.Section).Get<PortalAuthOptions>() ?? new PortalAuthOptions());
        services.AddPasswordResetLimits(); // the reset link's lifetime and forgot-password limits, shared with staff
        services.AddSingleton(sp => new SignInCodes(CodeKey(sp)));
        services.AddScoped<IPortalRules, SettingsPortalRules>();
        services.AddScoped<CodeIssuer>();
        services.AddScoped<SmsCountryRule>();
        services.AddScoped<Booking.BuildingBlocks.Security.IEmailedLinks, ClientResetLinks>();
        services.AddSingleton<NewClientTicket>();
        services.AddSpentRecordsCleanup();
        services.AddOldTextsCleanup();
        services.AddScoped<IFirstRequestGate, ClientFirstRequestGate>();
        services.AddScoped<IPortalSignInMethods, OfferedSignInMethods>();
        // The cap on failed password sign-ins per client address, the portal's and (through the interface) staff's.
        services.AddSingleton(sp => (sp.GetRequiredService<IConfiguration>().GetSection(PasswordSprayOptions.Section).Get<PasswordSprayOptions>() ?? new PasswordSprayOptions()).Checked());
        services.AddScoped<IPasswordSprayCap, PasswordSprayCap>();

        // SMS: "Sms:Adapter" = "twilio" for the carrier API, anything else the stored development outbox.
        services.AddSingleton<SmsQueue>();
        services.AddHostedService<SmsDispatcher>();
        services.AddSingleton(sp => sp.GetRequiredService<IConfiguration>().GetSection(TwilioOptions.Section).Get<TwilioOptions>() ?? new TwilioOptions());
        services.AddHttpClient<TwilioSmsSender>(http => http.Timeout = TimeSpan.FromSeconds(10));
        services.AddScoped<OutboxSmsSender>();
        services.AddScoped<PhoneOnlyClientSms>();
        services.AddScoped<TextLog>();
        services.AddScoped<ISmsSender>(sp =>
            SmsAdapter.UsesCarrier(sp.GetRequiredService<IConfiguration>())
                ? sp.GetRequiredService<TwilioSmsSender>()
                : sp.GetRequiredService<OutboxSmsSender>());
        return services;
    }

    public static IEndpointRouteBuilder MapPortalAuthEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapRegister();
        app.MapPortalSignIn();
        app.MapPasswordEndpoints();
        app.MapPhoneEndpoints();
        app.MapGetPortalMe();
        app.MapMyPets();
        app.MapMyMobile();
        app.MapMyDetails();
        app.MapAdminClients();
        app.MapClientPets();
        app.MapClientMerge();
        if (app.ServiceProvider.GetRequiredService<IHostEnvironment>().IsDevelopment())
        {
            app.MapDevSms();
        }

        return app;
    }

    /// <summary>
    /// PortalAuth:CodeHashKey (base64, ≥ 32 bytes) shared by every instance; else a per-process key, warned of (the Host
    /// resolves <see cref="SignInCodes"/> at start, and sets the key itself in Development).
    /// </summary>
    private static byte[] CodeKey(IServiceProvider services)
    {
        var configured = services.GetRequiredService<PortalAuthOptions>().CodeHashKey;
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return Convert.FromBase64String(configured);
        }

        services.GetRequiredService<ILoggerFactory>().CreateLogger("Booking.PortalAuth")
            .LogWarning("PortalAuth:CodeHashKey is not set: one-time codes are hashed with a key made for this process only, so a code texted by another instance, "
                + "or before a restart, is refused. Set the same key on every instance (docs/operations.md).");
        return System.Security.Cryptography.RandomNumberGenerator.GetBytes(32);
    }
}
