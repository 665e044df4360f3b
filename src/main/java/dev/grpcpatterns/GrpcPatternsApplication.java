package dev.grpcpatterns;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

@SpringBootApplication
@ConfigurationPropertiesScan
public class GrpcPatternsApplication {

    public static void main(String[] args) {
        SpringApplication.run(GrpcPatternsApplication.class, args);
    }
}
