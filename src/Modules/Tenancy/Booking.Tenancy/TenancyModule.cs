using Booking.BuildingBlocks.Data;
using Booking.BuildingBlocks.Security;
using Booking.BuildingBlocks.Tenancy;
using Booking.BuildingBlocks.Web;
using Booking.Tenancy.Data;
using Booking.Tenancy.Domain;
using Booking.Tenancy.Features.Branding;
using Booking.Tenancy.Features.BusinessDetails;
using Booking.Tenancy.Features.CheckSlug;
using Booking.Tenancy.Features.PortalBusiness;
using Booking.Tenancy.Features.PortalSettings;
using Booking.Tenancy.Features.SignUpBusiness;
using Booking.Tenancy.Features.Staff;
using Booking.Tenancy.Features.StaffEmailConfirmation;
using Booking.Tenancy.Features.StaffInvitation;
using Booking.Tenancy.Features.StaffPasswordReset;
using Booking.Tenancy.Features.StaffSession;
using Booking.Tenancy.Features.StaffSignIn;
using FluentValidation;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Booking.Tenancy;

public static class TenancyModule
{
    public static IServiceCollection AddTenancyModule(this IServiceCollection services)
    {
        services.AddModuleDatabase<TenancyDbContext>();
        services.AddSingleton<ITenantDirectory, TenantDirectory>();
        services.AddScoped<PortalSettingsStore>();
        services.AddScoped<Booking.BuildingBlocks.Security.IEmailedLinks, Features.StaffPasswordReset.StaffResetLinks>();
        services.AddScoped<Booking.BuildingBlocks.Security.IEmailedLinks, Features.StaffEmailConfirmation.StaffEmailConfirmationLinks>();
        services.AddSingleton(sp => sp.GetRequiredService<IConfiguration>().GetSection(StaffEmailConfirmationLimits.Section).Get<StaffEmailConfirmationLimits>()
            ?? new StaffEmailConfirmationLimits());
        services.AddSingleton(sp => sp.GetRequiredService<IConfiguration>().GetSection(StaffInvitationLimits.Section).Get<StaffInvitationLimits>()
            ?? new StaffInvitationLimits());
        services.AddSingleton(sp => sp.GetRequiredService<IConfiguration>().GetSection(SignUpLimits.Section).Get<SignUpLimits>() ?? new SignUpLimits());
        services.AddScoped<IPortalGate, PortalSettingsGate>();
        services.AddScoped<StaffDiaryAccess>();
        // Staff reset links follow the client portal's settings (lifetime and limits, decision 100).
        services.AddPasswordResetLimits();
        services.AddSpentStaffResetsCleanup();
        // Validators are singletons, but for those that read the tenant: a sign-up's slug already in use, the portal settings.
        services.AddValidatorsFromAssemblyContaining<TenancyDbContext>(ServiceLifetime.Singleton, r => r.ValidatorType != typeof(SignUpSlugFreeValidator) && r.ValidatorType != typeof(UpdatePortalSettingsValidator), includeInternalTypes: true);
        services.AddScoped<IValidator<SignUpBusiness>, SignUpSlugFreeValidator>();
        // Reads the business's country (the contact phone's default region).
        services.AddScoped<IValidator<UpdatePortalSettings>, UpdatePortalSettingsValidator>();
        return services;
    }

    public static IEndpointRouteBuilder MapTenancyEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapSignUpBusiness();
        app.MapCheckSlug();
        app.MapStaffSignIn();
        app.MapGetStaffMe();
        app.MapChangeStaffPassword();
        app.MapStaffPasswordReset();
        app.MapStaffInvitations();
        app.MapStaffEmailConfirmation();
        app.MapPortalSettings();
        app.MapPortalBusiness();
        app.MapStaffAdmin();
        app.MapStaffEmailChange();
        app.MapLogo();
        app.MapBusinessDetails();
        return app;
    }
}
