using Booking.BuildingBlocks.Data;
using Booking.Services.Data;
using Booking.Services.Features.Catalogue;
using Booking.Services.Features.Portal;
using Booking.Services.Features.Readiness;
using FluentValidation;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Booking.Services;

public static class ServicesModule
{
    public static IServiceCollection AddServicesModule(this IServiceCollection services)
    {
        services.AddModuleDatabase<ServicesDbContext>();
        services.AddScoped<ServiceCatalogueReader>();
        // The service validators read the business's currency (its decimals), so they live per request.
        services.AddValidatorsFromAssemblyContaining<ServicesDbContext>(ServiceLifetime.Singleton, r => r.ValidatorType != typeof(CreateServiceValidator) && r.ValidatorType != typeof(UpdateServiceValidator), includeInternalTypes: true);
        services.AddScoped<IValidator<CreateService>, CreateServiceValidator>();
        services.AddScoped<IValidator<UpdateService>, UpdateServiceValidator>();
        return services;
    }

    public static IEndpointRouteBuilder MapServicesEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapServices();
        app.MapPortalServices();
        app.MapBookingReadiness();
        return app;
    }
}
