package dev.grpcpatterns;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

// No @Bean methods here: no CGLIB subclass to generate at every start.
@SpringBootApplication(proxyBeanMethods = false)
@ConfigurationPropertiesScan
public class GrpcPatternsApplication {

    public static void main(String[] args) {
        SpringApplication.run(GrpcPatternsApplication.class, args);
    }
}
